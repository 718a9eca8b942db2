namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>One timed line of a scenario: at <see cref="AtMicros"/> (world time since the
/// scenario's start), do <see cref="Verb"/> with <see cref="Argument"/>.</summary>
/// <param name="AtMicros">When, µs since the start.</param>
/// <param name="Verb">send, expect, auth, start, stop, ptm, bolus, refill, prime, fault, ack,
/// powercycle, status, program, cut, tear, writefail, flip, rtc.</param>
/// <param name="Argument">The rest of the line (may be empty).</param>
/// <param name="LineNumber">Where it was written, for error messages.</param>
public sealed record ScenarioAction(long AtMicros, string Verb, string Argument, int LineNumber)
{
    /// <summary>Where it was written: <c>file:line</c>, plus the repeat counters when it came from
    /// a repeat block (<c>titration.scn:14 [day=3]</c>).</summary>
    public string Location { get; init; } = "line " + LineNumber;

    /// <summary>For <c>expect</c> and <c>status &lt;check&gt;</c>: what must hold.</summary>
    public Expectation? Expectation { get; init; }

    /// <summary>For <c>program</c>: the block's PROG: lines.</summary>
    public IReadOnlyList<string> ProgramLines { get; init; } = Array.Empty<string>();
}
