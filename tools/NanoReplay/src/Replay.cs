// The replay: the protocol's golden transcript and a multi-day scenario, run through the
// firmware's PumpApplication on in-memory fakes, printed as deterministic text. The same
// source is built for .NET (NanoReplay.csproj, checked against golden/replay.txt in CI) and
// for nanoFramework (NanoReplay.nfproj, run on nanoCLR or a board): the two runtimes must print
// the same text, line for line. See docs/NANO-RUNTIME.md.
namespace PumpFirmware.Replay
{
    /// <summary>Runs both scripts and prints the result.</summary>
    public static class Replay
    {
        /// <summary>The first line printed: names the output format.</summary>
        public const string Header = "=== PumpFirmware replay 1";

        /// <summary>The last line printed when every script line ran.</summary>
        public const string Trailer = "=== end";

        /// <summary>Prints the transcript (no storage; a clean power cycle, as the protocol
        /// tests run it) and the multi-day scenario (journalled on a memory store; power cuts
        /// restore only what the journal committed).</summary>
        /// <returns>true when every script line ran.</returns>
        public static bool Run(IReplayOutput output)
        {
            return Run(output, ReplayScripts.Transcript, ReplayScripts.MultiDay);
        }

        /// <summary>As <see cref="Run(IReplayOutput)"/>, on the scripts given (the golden test
        /// passes the script files, so that one run can rewrite ReplayScripts.cs and the golden file).</summary>
        public static bool Run(IReplayOutput output, string transcript, string multiDay)
        {
            output.Line(Header);
            output.Line("=== transcript");
            if (!new ScriptRunner(output, null).Run(transcript)) return false;
            output.Line("=== multi-day");
            if (!new ScriptRunner(output, new MemoryRecordStore()).Run(multiDay)) return false;
            output.Line(Trailer);
            return true;
        }
    }
}
