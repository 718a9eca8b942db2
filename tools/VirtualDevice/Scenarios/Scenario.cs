// A scenario file: a line-based, human-written script of a therapy run (format in
// docs/VIRTUAL-DEVICE.md). Parsing is strict: every bad line is an error naming its number,
// so a typo never silently changes what was simulated.
using System.Globalization;
using System.Text.RegularExpressions;

namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>A parsed scenario.</summary>
public sealed partial class Scenario
{
    /// <summary>2026-01-01T00:00:00Z, the default wall clock at the start.</summary>
    public const long DefaultStartUnixSeconds = 1_767_225_600;

    private static readonly string[] Verbs =
        { "send", "expect", "auth", "start", "stop", "ptm", "bolus", "refill", "prime", "fault", "ack", "powercycle", "status" };

    /// <summary>Name (default: the file name).</summary>
    public string Name { get; set; } = "scenario";

    /// <summary>Seed of every random source.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Wall clock at the start, unix seconds (sent with TIME).</summary>
    public long StartUnixSeconds { get; set; } = DefaultStartUnixSeconds;

    /// <summary>How long to run, µs.</summary>
    public long DurationMicros { get; set; } = 86_400_000_000;

    /// <summary>TEL period in seconds (0 = off).</summary>
    public int TelemetrySeconds { get; set; } = 60;

    /// <summary>Add a mass_g column from the simulated balance.</summary>
    public bool Balance { get; set; }

    /// <summary>Include !TEL lines in the trace (they are always in the CSV).</summary>
    public bool TraceTelemetry { get; set; }

    /// <summary>The session PIN.</summary>
    public string Pin { get; set; } = "0000";

    /// <summary>Plant: volume error, ppm.</summary>
    public int CalibrationErrorPpm { get; set; }

    /// <summary>Plant: ripple per revolution (0..1).</summary>
    public double Pulsation { get; set; }

    /// <summary>Plant: true steps per mL.</summary>
    public long PlantStepsPerMl { get; set; } = 64000;

    /// <summary>Balance noise, g.</summary>
    public double NoiseGrams { get; set; } = 0.00002;

    /// <summary>The program block's protocol lines (PROG:...), committed at the start.</summary>
    public List<string> ProgramLines { get; } = new();

    /// <summary>The timed actions, in time order (file order within one instant).</summary>
    public List<ScenarioAction> Actions { get; } = new();

    /// <summary>Reads a scenario file.</summary>
    /// <exception cref="FormatException">Naming the file, line and problem.</exception>
    public static Scenario Load(string path)
    {
        var scenario = Parse(File.ReadAllText(path), Path.GetFileName(path));
        if (scenario.Name == "scenario") scenario.Name = Path.GetFileNameWithoutExtension(path);
        return scenario;
    }

    /// <summary>Parses scenario text.</summary>
    /// <exception cref="FormatException">Naming the source, line and problem.</exception>
    public static Scenario Parse(string text, string source = "scenario")
    {
        var s = new Scenario();
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        bool inProgram = false;
        bool hadProgram = false;
        for (int index = 0; index < lines.Length; index++)
        {
            int number = index + 1;
            string line = StripComment(lines[index]).Trim();
            if (line.Length == 0) continue;
            FormatException Bad(string why) => new($"{source}:{number}: {why}: '{lines[index].Trim()}'");

            if (inProgram)
            {
                if (line.Equals("end", StringComparison.OrdinalIgnoreCase)) { inProgram = false; continue; }
                if (!line.StartsWith("PROG:", StringComparison.OrdinalIgnoreCase)) throw Bad("only PROG: lines belong in a program block");
                if (line.StartsWith("PROG:COMMIT", StringComparison.OrdinalIgnoreCase) || line.StartsWith("PROG:REVIEW", StringComparison.OrdinalIgnoreCase))
                    throw Bad("the runner reviews and commits the program itself");
                s.ProgramLines.Add(line);
                continue;
            }

            string word = FirstWord(line, out string rest);
            switch (word.ToLowerInvariant())
            {
                case "name":
                    if (rest.Length == 0) throw Bad("name needs a value");
                    s.Name = rest;
                    break;
                case "seed":
                    if (!int.TryParse(rest, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed)) throw Bad("seed needs an integer");
                    s.Seed = seed;
                    break;
                case "start":
                    if (!long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out long start) || start > 4_102_444_800) throw Bad("start needs unix seconds (0..4102444800)");
                    s.StartUnixSeconds = start;
                    break;
                case "duration":
                    if (!TryDuration(rest, out long duration) || duration <= 0) throw Bad("duration needs a positive duration like 7d, 36h, 1d12h30m");
                    s.DurationMicros = duration;
                    break;
                case "telemetry":
                    if (rest.Equals("off", StringComparison.OrdinalIgnoreCase)) { s.TelemetrySeconds = 0; break; }
                    if (!TryDuration(rest, out long period) || period % 1_000_000 != 0 || period < 1_000_000 || period > 3_600_000_000)
                        throw Bad("telemetry needs off or whole seconds 1s..1h");
                    s.TelemetrySeconds = (int)(period / 1_000_000);
                    break;
                case "balance":
                    s.Balance = OnOff(rest) ?? throw Bad("balance needs on or off");
                    break;
                case "trace":
                    if (!rest.Equals("telemetry", StringComparison.OrdinalIgnoreCase)) throw Bad("trace takes: telemetry");
                    s.TraceTelemetry = true;
                    break;
                case "pin":
                    if (!PinPattern().IsMatch(rest)) throw Bad("pin needs 4 to 8 digits");
                    s.Pin = rest;
                    break;
                case "plant":
                    ParsePlant(s, rest, Bad);
                    break;
                case "program":
                    if (hadProgram) throw Bad("only one program block");
                    if (rest.Length != 0) throw Bad("program takes no arguments; PROG: lines follow, then end");
                    inProgram = hadProgram = true;
                    break;
                case "at":
                    s.Actions.Add(ParseAction(rest, number, Bad));
                    break;
                default:
                    throw Bad("unknown directive (name, seed, start, duration, telemetry, balance, trace, pin, plant, program, at)");
            }
        }
        if (inProgram) throw new FormatException($"{source}: program block without end");
        try
        {
            s.ResolveWallTimes();
        }
        catch (FormatException e)
        {
            throw new FormatException($"{source}:{e.Message}");
        }
        return s;
    }

    private static void ParsePlant(Scenario s, string rest, Func<string, FormatException> bad)
    {
        foreach (string pair in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            if (kv.Length != 2) throw bad("plant takes key=value pairs");
            string v = kv[1];
            switch (kv[0])
            {
                case "cal_error_ppm":
                    if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int ppm) || ppm <= -1_000_000 || ppm > 1_000_000) throw bad("cal_error_ppm out of range");
                    s.CalibrationErrorPpm = ppm;
                    break;
                case "pulsation":
                    if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) || p < 0 || p >= 1) throw bad("pulsation must be in [0, 1)");
                    s.Pulsation = p;
                    break;
                case "steps_per_ml":
                    if (!long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out long spm) || spm < 1 || spm > 10_000_000) throw bad("steps_per_ml must be 1..10000000");
                    s.PlantStepsPerMl = spm;
                    break;
                case "noise_g":
                    if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) || n < 0 || n > 1) throw bad("noise_g must be in [0, 1]");
                    s.NoiseGrams = n;
                    break;
                default:
                    throw bad($"unknown plant key '{kv[0]}' (cal_error_ppm, pulsation, steps_per_ml, noise_g)");
            }
        }
    }

    private static ScenarioAction ParseAction(string rest, int number, Func<string, FormatException> bad)
    {
        // at <time> <verb> [args]; <time> is a duration from the start (0, 90s, 1d8h) or d<N>@hh:mm
        // (wall clock on day N, day 1 being the start's date).
        string when = FirstWord(rest, out string afterTime);
        long at;
        Match dayMatch = DayTime().Match(when);
        if (dayMatch.Success)
        {
            int day = int.Parse(dayMatch.Groups[1].Value, CultureInfo.InvariantCulture);
            int hour = int.Parse(dayMatch.Groups[2].Value, CultureInfo.InvariantCulture);
            int minute = int.Parse(dayMatch.Groups[3].Value, CultureInfo.InvariantCulture);
            if (day < 1 || hour > 23 || minute > 59) throw bad("d<N>@hh:mm needs N >= 1 and a time 00:00..23:59");
            at = -((day - 1) * 86_400L + hour * 3600L + minute * 60L) - 1; // resolved against the start below
        }
        else if (!TryDuration(when, out at))
        {
            throw bad("at needs a time: a duration from the start (0, 90s, 2h, 1d8h30m) or d<N>@hh:mm");
        }
        string verb = FirstWord(afterTime, out string argument).ToLowerInvariant();
        if (!Verbs.Contains(verb)) throw bad($"unknown action '{verb}' ({string.Join(", ", Verbs)})");
        bool needsArgument = verb is "send" or "expect" or "bolus" or "refill" or "prime" or "fault" or "ack";
        bool takesArgument = needsArgument || verb == "powercycle";
        if (needsArgument && argument.Length == 0) throw bad($"{verb} needs an argument");
        if (!takesArgument && argument.Length != 0) throw bad($"{verb} takes no argument");
        if (verb == "powercycle" && argument.Length != 0 && !TryDuration(argument, out _)) throw bad("powercycle takes an off-time like 30s or 2h");
        if (verb == "fault" && !new[] { "STALL", "OCCLUSION", "LOW_BATTERY", "NONE" }.Contains(argument.ToUpperInvariant())) throw bad("fault is STALL, OCCLUSION, LOW_BATTERY or NONE");
        return new ScenarioAction(at, verb, argument, number);
    }

    /// <summary>Resolves d&lt;N&gt;@hh:mm times against the start's wall clock and orders the actions.</summary>
    private void ResolveWallTimes()
    {
        long startOfDay = StartUnixSeconds - StartUnixSeconds % 86_400;
        for (int i = 0; i < Actions.Count; i++)
        {
            var a = Actions[i];
            if (a.AtMicros >= 0) continue;
            long wallOffset = -(a.AtMicros + 1); // seconds from day 1 00:00
            long atSeconds = startOfDay + wallOffset - StartUnixSeconds;
            if (atSeconds < 0) throw new FormatException($"{a.LineNumber}: that wall time is before the start");
            Actions[i] = a with { AtMicros = atSeconds * 1_000_000 };
        }
        var ordered = Actions.Select((a, i) => (a, i)).OrderBy(p => p.a.AtMicros).ThenBy(p => p.i).Select(p => p.a).ToList();
        Actions.Clear();
        Actions.AddRange(ordered);
        foreach (var a in Actions)
        {
            if (a.AtMicros > DurationMicros) throw new FormatException($"{a.LineNumber}: action after the end of the scenario (duration)");
        }
    }

    /// <summary>Parses 0, 90s, 15m, 2h, 7d and combinations in that order (1d12h30m15s); µs.</summary>
    public static bool TryDuration(string text, out long micros)
    {
        micros = 0;
        text = text.Trim();
        if (text == "0") return true;
        Match m = DurationPattern().Match(text);
        if (!m.Success || text.Length == 0) return false;
        long total = 0;
        long[] unit = { 86_400, 3_600, 60, 1 };
        for (int g = 1; g <= 4; g++)
        {
            if (!m.Groups[g].Success) continue;
            if (!long.TryParse(m.Groups[g].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n > 400_000_000) return false;
            total += n * unit[g - 1];
        }
        if (total > 10L * 366 * 86_400) return false;
        micros = total * 1_000_000;
        return true;
    }

    private static bool? OnOff(string text) => text.ToLowerInvariant() switch { "on" => true, "off" => false, _ => null };

    private static string StripComment(string line)
    {
        int hash = line.IndexOf('#');
        return hash < 0 ? line : line[..hash];
    }

    private static string FirstWord(string text, out string rest)
    {
        text = text.Trim();
        int space = text.IndexOf(' ');
        if (space < 0)
        {
            rest = "";
            return text;
        }
        rest = text[(space + 1)..].Trim();
        return text[..space];
    }

    [GeneratedRegex(@"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^d(\d+)@(\d\d):(\d\d)$")]
    private static partial Regex DayTime();

    [GeneratedRegex(@"^[0-9]{4,8}$")]
    private static partial Regex PinPattern();
}
