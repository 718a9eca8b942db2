namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>One timed line of a scenario: at <see cref="AtMicros"/> (world time since the
/// scenario's start), do <see cref="Verb"/> with <see cref="Argument"/>.</summary>
/// <param name="AtMicros">When, µs since the start.</param>
/// <param name="Verb">send, expect, auth, start, stop, ptm, bolus, refill, prime, fault, ack, powercycle, status.</param>
/// <param name="Argument">The rest of the line (may be empty).</param>
/// <param name="LineNumber">Where it was written, for error messages.</param>
public sealed record ScenarioAction(long AtMicros, string Verb, string Argument, int LineNumber);
