namespace PumpFirmware.Protocol.Tests.Fakes;

// The protocol tests' hardware is the replay's (tools/NanoReplay/src/ReplayHardware.cs, linked into this project):
// one set of nano-safe fakes for the replay, the device tests and these tests. Only the buzzer is kept here, because
// it records every call in a List<string> (generics), which the nanoFramework side cannot have.

/// <summary>Records every buzzer call as "Set f d" or "Stop".</summary>
public sealed class FakeBuzzer : PumpFirmware.Hal.IPwmOutput
{
    public List<string> Calls { get; } = new();
    public void Set(int frequencyHz, int dutyPermille) => Calls.Add($"Set {frequencyHz} {dutyPermille}");
    public void Stop() => Calls.Add("Stop");
}
