// Reads scenario text into a Scenario (format: docs/VIRTUAL-DEVICE.md). Three passes in one walk:
// lines are cut into tokens with their columns (a comment starts at #); ${...} is replaced by
// a parameter's or repeat counter's value (or a little arithmetic on them); includes are read
// in place and repeat blocks unrolled, so what runs is a flat, ordered list of actions. Every
// error names the file, line and column and shows the line; nothing is guessed or re-sorted.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>The scenario reader.</summary>
internal sealed partial class ScenarioParser
{
    /// <summary>Most actions one scenario may unroll to (repeat blocks included).</summary>
    public const int MaxActions = 200_000;

    private const int MaxIncludeDepth = 8;

    private static readonly string[] Verbs =
    {
        "send", "expect", "auth", "start", "stop", "ptm", "bolus", "refill", "prime", "fault", "ack", "powercycle", "status",
        "program", "cut", "tear", "writefail", "flip", "rtc",
    };

    private static readonly string[] Directives =
    {
        "name", "seed", "start", "duration", "telemetry", "balance", "trace", "pin", "plant", "program", "at", "expect",
        "param", "include", "repeat", "errors", "golden",
    };

    private readonly Scenario _s;
    private readonly IReadOnlyDictionary<string, string> _sets;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly List<string> _includeChain = new();
    private readonly List<Pending> _pending = new();
    private bool _hadProgram;

    private ScenarioParser(Scenario scenario, IReadOnlyDictionary<string, string> sets)
    {
        _s = scenario;
        _sets = sets;
    }

    /// <summary>Parses <paramref name="text"/>, named <paramref name="source"/> in messages; includes
    /// are looked up in <paramref name="directory"/> (null: the current folder).</summary>
    /// <exception cref="FormatException">A <see cref="ScenarioFormatException"/> naming file, line
    /// and column; or a plain one for a <c>--set</c> of a parameter the scenario does not have.</exception>
    /// <param name="text">The scenario.</param>
    /// <param name="source">Its name in messages.</param>
    /// <param name="directory">Where includes and golden files are looked up (null: the current folder).</param>
    /// <param name="sets">Parameter values that override the defaults.</param>
    /// <param name="anySets">True: a set the scenario has no parameter for is ignored (a suite
    /// passes one --set to every scenario); false: it is an error.</param>
    public static Scenario Parse(string text, string source, string? directory, IReadOnlyDictionary<string, string>? sets, bool anySets = false)
    {
        var s = new Scenario();
        var parser = new ScenarioParser(s, sets ?? new Dictionary<string, string>());
        var file = new SourceFile(source, directory, directory == null ? null : Path.GetFullPath(Path.Combine(directory, Path.GetFileName(source))), SplitLines(text));
        parser.Walk(file, 0, file.Lines.Length, "");
        parser.Finish();
        if (anySets) return s;
        foreach (string set in parser._sets.Keys)
        {
            if (!s.Parameters.ContainsKey(set))
            {
                throw new FormatException($"--set {set}: {source} has no parameter '{set}' (its parameters: " +
                    (s.Parameters.Count == 0 ? "none" : string.Join(", ", s.Parameters.Keys)) + ")");
            }
        }
        return s;
    }

    private static string[] SplitLines(string text) => text.Replace("\r\n", "\n").Split('\n');

    private void Walk(SourceFile f, int from, int to, string note)
    {
        for (int i = from; i < to; i++)
        {
            var line = new Line(f, i, note);
            if (line.Tokens.Count == 0) continue;
            string word = line.Tokens[0].Text.ToLowerInvariant();
            if (word == "repeat")
            {
                int end = FindEnd(f, i, to, "repeat");
                Repeat(line, end);
                i = end;
                continue;
            }
            if (word == "end") throw line.Bad(line.Tokens[0].Column, "'end' without a block to close (program or repeat)");
            if (word == "program" || (word == "at" && line.Tokens.Count >= 3 && line.Tokens[2].Text.Equals("program", StringComparison.OrdinalIgnoreCase)))
            {
                int end = FindProgramEnd(f, i, to);
                var prog = new List<string>();
                for (int k = i + 1; k < end; k++)
                {
                    var body = new Line(f, k, note);
                    if (body.Tokens.Count == 0) continue;
                    string text = Subst(body, body.RestFrom(0));
                    if (text.StartsWith("PROG:COMMIT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("PROG:REVIEW", StringComparison.OrdinalIgnoreCase))
                        throw body.Bad(body.Tokens[0].Column, "the runner reviews and commits the program itself");
                    prog.Add(text);
                }
                if (word == "program") HeaderProgram(line, prog);
                else At(line, prog);
                i = end;
                continue;
            }
            Directive(line);
        }
    }

    private static int FindEnd(SourceFile f, int open, int to, string what)
    {
        int depth = 0;
        for (int k = open + 1; k < to; k++)
        {
            var tokens = Tokenize(f.Lines[k]);
            if (tokens.Count == 0) continue;
            string w = tokens[0].Text.ToLowerInvariant();
            bool opens = w == "repeat" || w == "program" || (w == "at" && tokens.Count >= 3 && tokens[2].Text.Equals("program", StringComparison.OrdinalIgnoreCase));
            if (opens) depth++;
            else if (w == "end")
            {
                if (depth == 0) return k;
                depth--;
            }
        }
        var first = new Line(f, open, "");
        throw first.Bad(first.Tokens[0].Column, $"{what} block without end (it starts on this line)");
    }

    private static int FindProgramEnd(SourceFile f, int open, int to)
    {
        for (int k = open + 1; k < to; k++)
        {
            var tokens = Tokenize(f.Lines[k]);
            if (tokens.Count == 0) continue;
            if (tokens[0].Text.Equals("end", StringComparison.OrdinalIgnoreCase))
            {
                if (tokens.Count > 1) throw new Line(f, k, "").Bad(tokens[1].Column, "end takes nothing after it");
                return k;
            }
            if (!tokens[0].Text.StartsWith("PROG:", StringComparison.OrdinalIgnoreCase))
                throw new Line(f, k, "").Bad(tokens[0].Column, $"only PROG: lines belong in a program block (the block opened on line {open + 1} needs its end first)");
        }
        var first = new Line(f, open, "");
        throw first.Bad(first.Tokens[0].Column, "program block without end (it starts on this line)");
    }

    private void Repeat(Line line, int end)
    {
        // repeat <n> [as <name>]
        var t = line.Tokens;
        if (t.Count != 2 && t.Count != 4) throw line.Bad(t[0].Column, "repeat takes a count and optionally 'as <name>': repeat 30 as day");
        string countText = Subst(line, t[1]);
        if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1 || count > MaxActions)
            throw line.Bad(t[1].Column, $"repeat needs a count 1..{MaxActions}, not '{countText}'");
        string? name = null;
        if (t.Count == 4)
        {
            if (!t[2].Text.Equals("as", StringComparison.OrdinalIgnoreCase)) throw line.Bad(t[2].Column, "expected 'as <name>'");
            name = t[3].Text;
            if (!NamePattern().IsMatch(name)) throw line.Bad(t[3].Column, "a counter's name is a letter or _ then letters, digits or _");
            if (_names.ContainsKey(name)) throw line.Bad(t[3].Column, $"'{name}' is already a parameter or counter");
        }
        for (int k = 1; k <= count; k++)
        {
            if (name != null) _names[name] = k.ToString(CultureInfo.InvariantCulture);
            string note = line.Note + (name != null ? $" [{name}={k}]" : $" [repeat {k}]");
            Walk(line.File, line.Index + 1, end, note);
            if (_pending.Count > MaxActions) throw line.Bad(t[0].Column, $"this repeat unrolls to more than {MaxActions} actions");
        }
        if (name != null) _names.Remove(name);
    }

    private void Directive(Line line)
    {
        var t = line.Tokens;
        string word = t[0].Text.ToLowerInvariant();
        int col = t[0].Column;
        string Rest() => t.Count > 1 ? Subst(line, line.RestFrom(1)) : "";
        string One(string what)
        {
            if (t.Count < 2) throw line.Bad(col + t[0].Text.Length, $"{word} needs {what}");
            if (t.Count > 2) throw line.Bad(t[2].Column, $"{word} takes one value ({what})");
            return Subst(line, t[1]);
        }
        switch (word)
        {
            case "name":
                if (t.Count < 2) throw line.Bad(col + 4, "name needs a value");
                _s.Name = Rest();
                break;
            case "seed":
                if (!int.TryParse(One("an integer"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seed)) throw line.Bad(t[1].Column, "seed needs an integer");
                _s.Seed = seed;
                break;
            case "start":
                if (!long.TryParse(One("unix seconds"), NumberStyles.None, CultureInfo.InvariantCulture, out long start) || start > 4_102_444_800)
                    throw line.Bad(t[1].Column, "start needs unix seconds (0..4102444800)");
                _s.StartUnixSeconds = start;
                break;
            case "duration":
                if (!Scenario.TryDuration(One("a duration"), out long duration) || duration <= 0)
                    throw line.Bad(t[1].Column, "duration needs a positive duration like 7d, 36h, 1d12h30m");
                _s.DurationMicros = duration;
                break;
            case "telemetry":
            {
                string v = One("off or a period");
                if (v.Equals("off", StringComparison.OrdinalIgnoreCase)) { _s.TelemetrySeconds = 0; break; }
                if (!Scenario.TryDuration(v, out long period) || period % 1_000_000 != 0 || period < 1_000_000 || period > 3_600_000_000)
                    throw line.Bad(t[1].Column, "telemetry needs off or whole seconds 1s..1h");
                _s.TelemetrySeconds = (int)(period / 1_000_000);
                break;
            }
            case "balance":
                _s.Balance = OnOff(One("on or off")) ?? throw line.Bad(t[1].Column, "balance needs on or off");
                break;
            case "trace":
                if (!One("telemetry").Equals("telemetry", StringComparison.OrdinalIgnoreCase)) throw line.Bad(t[1].Column, "trace takes: telemetry");
                _s.TraceTelemetry = true;
                break;
            case "pin":
                if (!PinPattern().IsMatch(One("4 to 8 digits"))) throw line.Bad(t[1].Column, "pin needs 4 to 8 digits");
                _s.Pin = Subst(line, t[1]);
                break;
            case "plant":
                Plant(line);
                break;
            case "errors":
                switch (One("fail or count").ToLowerInvariant())
                {
                    case "fail": _s.ErrorsFail = true; break;
                    case "count": _s.ErrorsFail = false; break;
                    default: throw line.Bad(t[1].Column, "errors takes fail (an ERR no expect line allows fails the scenario: the default) or count");
                }
                break;
            case "golden":
            {
                string path = One("a trace file");
                _s.GoldenTracePath = line.File.Directory == null ? path : Path.GetFullPath(Path.Combine(line.File.Directory, path));
                _s.GoldenTraceName = path;
                break;
            }
            case "param":
                Param(line);
                break;
            case "include":
                Include(line, One("a file"));
                break;
            case "at":
                At(line, null);
                break;
            case "expect":
                if (t.Count < 2) throw line.Bad(col + 6, "expect needs what to expect (OK, ERR 423, a field check, or a !line)");
                if (_pending.Count == 0) throw line.Bad(col, "an expect line without 'at' checks the action before it, and there is none yet");
                Add(line, new TimeSpec(TimeKind.Same, 0, col), "expect", ParseExpectation(line, 1), Rest());
                break;
            default:
                throw line.Bad(col, $"unknown directive '{t[0].Text}' ({string.Join(", ", Directives)})");
        }
    }

    private void Param(Line line)
    {
        // param <name> [=] <default: the rest of the line>
        var t = line.Tokens;
        int at = 2;
        if (t.Count < 3) throw line.Bad(t[0].Column, "param needs a name and a default: param rate = 300");
        if (t[2].Text == "=") at = 3;
        if (t.Count < at + 1) throw line.Bad(t[0].Column, "param takes a name and a default value: param rate = 300");
        string name = t[1].Text;
        if (!NamePattern().IsMatch(name)) throw line.Bad(t[1].Column, "a parameter's name is a letter or _ then letters, digits or _");
        // The first definition wins: a scenario may give a value before it includes a shared
        // setup that declares the default, and --set wins over both.
        if (_s.Parameters.ContainsKey(name)) return;
        if (_names.ContainsKey(name)) throw line.Bad(t[1].Column, $"'{name}' is a repeat counter here");
        string value = _sets.TryGetValue(name, out string? set) ? set : Subst(line, line.RestFrom(at));
        _names[name] = value;
        _s.Parameters[name] = value;
    }

    private void Include(Line line, string path)
    {
        string dir = line.File.Directory ?? ".";
        string full = Path.GetFullPath(Path.Combine(dir, path));
        int col = line.Tokens[1].Column;
        if (_includeChain.Contains(full) || full == line.File.FullPath) throw line.Bad(col, $"'{path}' includes itself (through {string.Join(" -> ", _includeChain.Select(Path.GetFileName))})");
        if (_includeChain.Count >= MaxIncludeDepth) throw line.Bad(col, $"includes nest deeper than {MaxIncludeDepth}");
        if (!System.IO.File.Exists(full)) throw line.Bad(col, $"no such file to include: {full}");
        var file = new SourceFile(Path.GetRelativePath(Directory.GetCurrentDirectory(), full), Path.GetDirectoryName(full), full, SplitLines(System.IO.File.ReadAllText(full)))
        {
            IncludedFrom = line.File.Name + ":" + (line.Index + 1),
        };
        _includeChain.Add(full);
        Walk(file, 0, file.Lines.Length, line.Note);
        _includeChain.RemoveAt(_includeChain.Count - 1);
    }

    private void HeaderProgram(Line line, List<string> prog)
    {
        if (line.Tokens.Count != 1) throw line.Bad(line.Tokens[1].Column, "program takes no arguments; PROG: lines follow, then end (to reprogram later: at <time> program [bridge])");
        if (_hadProgram) throw line.Bad(line.Tokens[0].Column, "only one program block at the start (to reprogram later: at <time> program [bridge])");
        _hadProgram = true;
        _s.ProgramLines.AddRange(prog);
    }

    private void Add(Line line, TimeSpec when, string verb, Expectation? expectation, string argument, List<string>? program = null)
    {
        var action = new ScenarioAction(0, verb, argument, line.Index + 1)
        {
            Location = line.File.Name + ":" + (line.Index + 1) + line.Note,
            Expectation = expectation,
            ProgramLines = program ?? (IReadOnlyList<string>)Array.Empty<string>(),
        };
        _pending.Add(new Pending(when, action, line));
    }

    private TimeSpec ParseTime(Line line, Token token)
    {
        string when = Subst(line, token);
        Match dayMatch = DayTime().Match(when);
        if (dayMatch.Success)
        {
            int day = int.Parse(dayMatch.Groups[1].Value, CultureInfo.InvariantCulture);
            int hour = int.Parse(dayMatch.Groups[2].Value, CultureInfo.InvariantCulture);
            int minute = int.Parse(dayMatch.Groups[3].Value, CultureInfo.InvariantCulture);
            if (day < 1 || day > 3660 || hour > 23 || minute > 59) throw line.Bad(token.Column, "d<N>@hh:mm needs N >= 1 and a time 00:00..23:59");
            return new TimeSpec(TimeKind.DayClock, (day - 1) * 86_400L + hour * 3600L + minute * 60L, token.Column);
        }
        if (when.StartsWith('+'))
        {
            if (!Scenario.TryDuration(when[1..], out long after)) throw line.Bad(token.Column, "+<duration> (after the previous action) needs a duration: +10m, +1d2h");
            return new TimeSpec(TimeKind.After, after, token.Column);
        }
        if (!Scenario.TryDuration(when, out long at))
            throw line.Bad(token.Column, $"'{when}' is not a time: a duration from the start (0, 90s, 2h, 1d8h30m), d<N>@hh:mm, or +<duration> after the previous action");
        return new TimeSpec(TimeKind.FromStart, at, token.Column);
    }

    // Resolves every time now that the start is known and checks the order: a scenario lists its
    // actions in time order, so a time that goes backwards is a mistake, never re-sorted.
    private void Finish()
    {
        long startOfDay = _s.StartUnixSeconds - _s.StartUnixSeconds % 86_400;
        long previous = 0;
        Pending? previousAction = null;
        foreach (Pending p in _pending)
        {
            long at = p.Time.Kind switch
            {
                TimeKind.FromStart => p.Time.Value,
                TimeKind.DayClock => (startOfDay + p.Time.Value - _s.StartUnixSeconds) * 1_000_000,
                TimeKind.After => previous + p.Time.Value,
                _ => previous,
            };
            if (p.Time.Kind == TimeKind.DayClock && at < 0)
                throw p.Line.Bad(p.Time.Column, "that wall time is before the start");
            if (at < previous)
            {
                throw p.Line.Bad(p.Time.Column, $"this time ({Scenario.FormatTime(at)} after the start) is before the previous action's " +
                    $"({Scenario.FormatTime(previous)}, {previousAction!.Action.Location}): actions are written in time order");
            }
            if (at > _s.DurationMicros)
                throw p.Line.Bad(p.Time.Column, $"action after the end of the scenario (at {Scenario.FormatTime(at)}, duration {Scenario.FormatTime(_s.DurationMicros)})");
            previous = at;
            previousAction = p;
            _s.Actions.Add(p.Action with { AtMicros = at });
        }
    }

    private void Plant(Line line)
    {
        if (line.Tokens.Count < 2) throw line.Bad(line.Tokens[0].Column + 5, "plant takes key=value pairs (cal_error_ppm, pulsation, steps_per_ml, noise_g, occlusion, compliance_ul, leak_s, pressure_noise_mv, battery_mah, battery_error_ppm)");
        foreach (Token token in line.Tokens.Skip(1))
        {
            string pair = Subst(line, token);
            string[] kv = pair.Split('=', 2);
            Exception Bad(string why) => line.Bad(token.Column, why);
            if (kv.Length != 2) throw Bad("plant takes key=value pairs");
            string v = kv[1];
            switch (kv[0])
            {
                case "cal_error_ppm":
                    if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int ppm) || ppm <= -1_000_000 || ppm > 1_000_000) throw Bad("cal_error_ppm out of range");
                    _s.CalibrationErrorPpm = ppm;
                    break;
                case "pulsation":
                    if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) || p < 0 || p >= 1) throw Bad("pulsation must be in [0, 1)");
                    _s.Pulsation = p;
                    break;
                case "steps_per_ml":
                    if (!long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out long spm) || spm < 1 || spm > 10_000_000) throw Bad("steps_per_ml must be 1..10000000");
                    _s.PlantStepsPerMl = spm;
                    break;
                case "noise_g":
                    if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) || n < 0 || n > 1) throw Bad("noise_g must be in [0, 1]");
                    _s.NoiseGrams = n;
                    break;
                case "occlusion":
                    switch (v)
                    {
                        case "switch": _s.PressurePlant = false; break;
                        case "pressure": _s.PressurePlant = true; break;
                        default: throw Bad("occlusion must be switch or pressure");
                    }
                    break;
                case "compliance_ul":
                    if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double c) || !(c >= 0.01 && c <= 10000)) throw Bad("compliance_ul (uL per 100 mmHg) must be in [0.01, 10000]");
                    _s.ComplianceMicrolitersPer100MmHg = c;
                    break;
                case "leak_s":
                    if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double leak) || !(leak >= 0 && leak <= 1e9)) throw Bad("leak_s must be in [0, 1e9] (0 = no leak)");
                    _s.PressureLeakSeconds = leak;
                    break;
                case "pressure_noise_mv":
                    if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double mv) || !(mv >= 0 && mv <= 1000)) throw Bad("pressure_noise_mv must be in [0, 1000]");
                    _s.PressureNoiseMillivolts = mv;
                    break;
                case "battery_mah":
                    if (!long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out long mah) || mah < 1 || mah > 100_000) throw Bad("battery_mah must be 1..100000");
                    _s.BatteryCapacityMah = mah;
                    break;
                case "battery_error_ppm":
                    if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int bppm) || bppm <= -1_000_000 || bppm > 1_000_000) throw Bad("battery_error_ppm out of range");
                    _s.BatteryCapacityErrorPpm = bppm;
                    break;
                default:
                    throw Bad($"unknown plant key '{kv[0]}' (cal_error_ppm, pulsation, steps_per_ml, noise_g, occlusion, compliance_ul, leak_s, pressure_noise_mv, battery_mah, battery_error_ppm)");
            }
        }
    }

    private string Subst(Line line, Token token) => Subst(line, token.Text, token.Column);

    private string Subst(Line line, (string Text, int Column) rest) => Subst(line, rest.Text, rest.Column);

    private string Subst(Line line, string text, int column)
    {
        int open = text.IndexOf("${", StringComparison.Ordinal);
        if (open < 0) return text;
        var sb = new StringBuilder();
        int at = 0;
        while (open >= 0)
        {
            int close = text.IndexOf('}', open);
            if (close < 0) throw line.Bad(column + open, "${ without its }");
            sb.Append(text, at, open - at);
            try
            {
                sb.Append(ParamExpression.Evaluate(text[(open + 2)..close], _names));
            }
            catch (FormatException e)
            {
                throw line.Bad(column + open, e.Message);
            }
            at = close + 1;
            open = text.IndexOf("${", at, StringComparison.Ordinal);
        }
        sb.Append(text, at, text.Length - at);
        return sb.ToString();
    }

    private static bool? OnOff(string text) => text.ToLowerInvariant() switch { "on" => true, "off" => false, _ => null };

    /// <summary>Cuts a line into words with their 1-based columns; # starts a comment; spaces
    /// inside ${...} do not cut.</summary>
    internal static List<Token> Tokenize(string raw)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < raw.Length)
        {
            char c = raw[i];
            if (c == '#') break;
            if (c == ' ' || c == '\t') { i++; continue; }
            int start = i;
            int depth = 0;
            while (i < raw.Length)
            {
                c = raw[i];
                if (depth == 0 && (c == ' ' || c == '\t' || c == '#')) break;
                if (c == '$' && i + 1 < raw.Length && raw[i + 1] == '{') { depth++; i += 2; continue; }
                if (c == '}' && depth > 0) depth--;
                i++;
            }
            tokens.Add(new Token(raw[start..i], start + 1));
        }
        return tokens;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^!\S+$")]
    private static partial Regex EventWord();

    [GeneratedRegex(@"^(-?[0-9]+(?:\.[0-9]+)?)([a-z%]*)$")]
    private static partial Regex NumberWithUnit();

    [GeneratedRegex(@"^d(\d+)@(\d\d):(\d\d)$")]
    private static partial Regex DayTime();

    [GeneratedRegex(@"^[0-9]{4,8}$")]
    private static partial Regex PinPattern();

    internal readonly record struct Token(string Text, int Column);

    private enum TimeKind { FromStart, DayClock, After, Same }

    private readonly record struct TimeSpec(TimeKind Kind, long Value, int Column);

    private sealed record Pending(TimeSpec Time, ScenarioAction Action, Line Line);

    private sealed class SourceFile(string name, string? directory, string? fullPath, string[] lines)
    {
        public string Name { get; } = name;
        public string? Directory { get; } = directory;
        public string? FullPath { get; } = fullPath;
        public string[] Lines { get; } = lines;
        public string? IncludedFrom { get; init; }
    }

    private sealed class Line
    {
        public Line(SourceFile file, int index, string note)
        {
            File = file;
            Index = index;
            Note = note;
            Tokens = Tokenize(file.Lines[index]);
        }

        public SourceFile File { get; }
        public int Index { get; }
        public string Note { get; }
        public List<Token> Tokens { get; }

        /// <summary>The text from token <paramref name="k"/> to the end (comment removed).</summary>
        public (string Text, int Column) RestFrom(int k)
        {
            Token last = Tokens[^1];
            int from = Tokens[k].Column - 1;
            int to = last.Column - 1 + last.Text.Length;
            return (File.Lines[Index][from..to], Tokens[k].Column);
        }

        public ScenarioFormatException Bad(int column, string why)
        {
            string where = Note.Length > 0 ? why + " (in" + Note + ")" : why;
            if (File.IncludedFrom != null) where += " (included from " + File.IncludedFrom + ")";
            return new ScenarioFormatException(File.Name, Index + 1, column, where, File.Lines[Index]);
        }
    }
}
