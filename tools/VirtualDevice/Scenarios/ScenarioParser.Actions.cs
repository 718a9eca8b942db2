// The actions of the scenario language (`at <time> <verb> ...`): each verb's arguments are
// checked here, at their columns, so the runner only ever sees well-formed actions. Part of
// ScenarioParser.
using System.Globalization;

namespace PumpFirmware.VirtualDevice.Scenarios;

internal sealed partial class ScenarioParser
{
    private void At(Line line, List<string>? program)
    {
        // at <time> <verb> [args]
        var t = line.Tokens;
        if (t.Count < 3) throw line.Bad(t.Count < 2 ? t[0].Column + 2 : t[1].Column + t[1].Text.Length, "at needs a time and an action: at 2h ptm");
        TimeSpec when = ParseTime(line, t[1]);
        string verb = t[2].Text.ToLowerInvariant();
        int vcol = t[2].Column;
        if (!Verbs.Contains(verb)) throw line.Bad(vcol, $"unknown action '{t[2].Text}' ({string.Join(", ", Verbs)})");
        string argument = t.Count > 3 ? Subst(line, line.RestFrom(3)) : "";
        string[] args = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int acol = t.Count > 3 ? t[3].Column : vcol + verb.Length + 1;
        Expectation? expectation = null;
        void Count(int min, int max, string usage)
        {
            if (args.Length < min || args.Length > max) throw line.Bad(args.Length < min ? acol : t[3 + max].Column, $"usage: {usage}");
        }
        switch (verb)
        {
            case "send":
            case "bolus":
            case "refill":
            case "prime":
            case "ack":
                if (args.Length == 0) throw line.Bad(acol, $"{verb} needs an argument");
                break;
            case "fault":
                Count(1, 1, "fault STALL|OCCLUSION|LOW_BATTERY|PRESSURE_SENSOR|NONE");
                if (!new[] { "STALL", "OCCLUSION", "LOW_BATTERY", "PRESSURE_SENSOR", "NONE" }.Contains(args[0].ToUpperInvariant())) throw line.Bad(acol, "fault is STALL, OCCLUSION, LOW_BATTERY, PRESSURE_SENSOR (plant occlusion=pressure) or NONE");
                break;
            case "powercycle":
                Count(0, 1, "powercycle [<off-time like 30s or 2h>]");
                if (args.Length == 1 && !Scenario.TryDuration(args[0], out _)) throw line.Bad(acol, "powercycle takes an off-time like 30s or 2h");
                break;
            case "auth":
            case "start":
            case "stop":
            case "ptm":
                if (args.Length != 0) throw line.Bad(acol, $"{verb} takes no argument");
                break;
            case "status":
                if (args.Length != 0) expectation = ParseExpectation(line, 3);
                if (expectation != null && expectation is not ValueExpectation) throw line.Bad(acol, "status takes a value check: status alarms contains STALL");
                break;
            case "expect":
                if (args.Length == 0) throw line.Bad(acol, "expect needs what to expect");
                expectation = ParseExpectation(line, 3);
                break;
            case "program":
                if (program == null) throw line.Bad(vcol, "internal: program outside its block");
            {
                // [bridge] [override]: PROG:COMMIT's BRIDGE and OVERRIDE=TITRATION (the review then carries the word too).
                bool bridge = false, overrideTitration = false;
                foreach (string word in args)
                {
                    if (!bridge && word.Equals("bridge", StringComparison.OrdinalIgnoreCase)) bridge = true;
                    else if (!overrideTitration && word.Equals("override", StringComparison.OrdinalIgnoreCase)) overrideTitration = true;
                    else throw line.Bad(acol, "program takes nothing, 'bridge' and/or 'override'; PROG: lines follow, then end");
                }
                if (program.Count == 0) throw line.Bad(vcol, "an empty program block: PROG: lines go between this line and its end");
                argument = ((bridge ? "BRIDGE " : "") + (overrideTitration ? "OVERRIDE=TITRATION" : "")).Trim();
            }
                break;
            case "cut":
            {
                Count(1, 2, "cut <n-th storage write from now, 1 = the next> [<off-time>]");
                long n = Integer(line, t[3], args[0], 1, 1_000_000, "the storage write's number from now (1 = the next)");
                long off = args.Length == 2 ? Off(line, t[4], args[1]) : 0;
                argument = n + " 0 " + off;
                break;
            }
            case "tear":
            {
                Count(2, 3, "tear <n-th storage write from now> <bytes that land> [<off-time>]");
                long n = Integer(line, t[3], args[0], 1, 1_000_000, "the storage write's number from now (1 = the next)");
                long keep = Integer(line, t[4], args[1], 0, 1_000_000, "the bytes of that write that land");
                long off = args.Length == 3 ? Off(line, t[5], args[2]) : 0;
                argument = n + " " + keep + " " + off;
                break;
            }
            case "writefail":
            {
                Count(0, 1, "writefail [<n-th storage write from now, 1 = the next>]");
                long n = args.Length == 1 ? Integer(line, t[3], args[0], 1, 1_000_000, "the storage write's number from now (1 = the next)") : 1;
                argument = n.ToString(CultureInfo.InvariantCulture);
                break;
            }
            case "flip":
            {
                Count(3, 3, "flip A|B|JOURNAL <byte offset> <bit 0..7>");
                if (!new[] { "A", "B", "JOURNAL" }.Contains(args[0].ToUpperInvariant())) throw line.Bad(acol, "flip names the stored copy: A, B or JOURNAL");
                Integer(line, t[4], args[1], 0, 1_000_000, "the byte offset");
                Integer(line, t[5], args[2], 0, 7, "the bit");
                argument = args[0].ToUpperInvariant() + " " + args[1] + " " + args[2];
                break;
            }
            case "rtc":
            {
                Count(1, 2, "rtc jump <+/-duration> | rtc stuck | rtc lost | rtc ok");
                string what = args[0].ToUpperInvariant();
                if (what == "JUMP")
                {
                    if (args.Length != 2) throw line.Bad(acol, "rtc jump needs a signed duration: rtc jump +2h, rtc jump -30m");
                    string d = args[1];
                    bool back = d.StartsWith('-');
                    if (!(back || d.StartsWith('+')) || !Scenario.TryDuration(d[1..], out long jump))
                        throw line.Bad(t[4].Column, "rtc jump needs a signed duration: +2h or -30m");
                    argument = "JUMP " + (back ? "-" : "") + (jump / 1_000_000).ToString(CultureInfo.InvariantCulture);
                }
                else if (what is "STUCK" or "LOST" or "OK")
                {
                    if (args.Length != 1) throw line.Bad(t[4].Column, $"rtc {args[0]} takes nothing after it");
                    argument = what;
                }
                else throw line.Bad(acol, "rtc takes jump <+/-duration>, stuck, lost or ok");
                break;
            }
        }
        Add(line, when, verb, expectation, argument, program);
    }

    private static long Integer(Line line, Token token, string text, long min, long max, string what)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v) || v < min || v > max)
            throw line.Bad(token.Column, $"{what}: an integer {min}..{max}, not '{text}'");
        return v;
    }

    private static long Off(Line line, Token token, string text)
    {
        if (!Scenario.TryDuration(text, out long off)) throw line.Bad(token.Column, "the off-time is a duration like 30s or 2h");
        return off / 1_000_000;
    }
}
