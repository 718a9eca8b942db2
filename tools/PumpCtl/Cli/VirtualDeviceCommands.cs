// The bridge to the virtual device's entry points (tools/VirtualDevice/Cli): pumpctl owns the
// command line, the virtual device parses its own options.
using PumpFirmware.VirtualDevice.Cli;

namespace PumpCtl.Cli;

/// <summary>Forwards <c>pumpctl sim</c> and <c>pumpctl simulate</c>.</summary>
public static class VirtualDeviceCommands
{
    /// <summary><c>pumpctl sim ...</c>.</summary>
    public static int Sim(string[] args) => SimCommand.Run(args);

    /// <summary><c>pumpctl simulate ...</c>.</summary>
    public static int Simulate(string[] args) => SimulateCommand.Run(args);
}
