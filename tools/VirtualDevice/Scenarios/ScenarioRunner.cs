// Runs a scenario headless in virtual time: the virtual device on an in-memory store, the
// scenario's program committed at the start, each action at its instant, the clock jumping
// from wake-up to wake-up in between. Writes the telemetry CSV (issue 6's header, plus mass_g
// with the balance), a trace of every line in and out stamped with virtual time (the same
// scenario and seed always give the same trace, so it can be diffed and golden-tested), and
// returns the summary.
using System.Globalization;
using System.Text;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.VirtualDevice.Device;

namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>Runs one <see cref="Scenario"/>.</summary>
public sealed class ScenarioRunner
{
    /// <summary>The telemetry CSV header (issue 6), without mass_g.</summary>
    public const string CsvHeader = "host_utc,seq,t_ms,unix_s,state,delivered_ul,steps,reservoir_ul,rate_ul_day,alarms";

    private static readonly string[] TelFields = { "seq", "t_ms", "unix_s", "state", "delivered_ul", "steps", "reservoir_ul", "rate_ul_day", "alarms" };

    private readonly Scenario _scenario;
    private readonly TextWriter? _trace;
    private readonly TextWriter? _csv;
    private readonly ScenarioResult _result;
    private readonly StringBuilder _partial = new();
    private readonly byte[] _buffer = new byte[65536];
    private readonly Queue<string> _statuses = new();
    private readonly long[] _minuteSteps = new long[1441];
    private long _lastMinute = -1;
    private readonly List<EventRecord> _events = new();
    private readonly List<EventWindow> _windows = new();
    private readonly StringBuilder? _traceCapture;
    private VirtualPump _pump = null!;
    private OpenReply? _open;
    private int _actionStartIndex;
    private long _actionStartMicros = -1;
    private long _actionEndWorldMicros;
    private long _actionEndSteps;
    private int _bootsSeen;
    private long _stepsSeen;
    private long _lastTotalSteps;
    private object? _stepsApp;

    /// <summary>Creates a runner.</summary>
    /// <param name="scenario">What to run.</param>
    /// <param name="trace">Receives the trace (null: none).</param>
    /// <param name="csv">Receives the telemetry CSV (null: none).</param>
    public ScenarioRunner(Scenario scenario, TextWriter? trace, TextWriter? csv)
    {
        _scenario = scenario;
        _trace = trace;
        _csv = csv;
        _result = new ScenarioResult { Name = scenario.Name };
        if (scenario.GoldenTracePath != null) _traceCapture = new StringBuilder();
    }

    /// <summary>Rewrite the scenario's golden trace instead of comparing with it.</summary>
    public bool UpdateGolden { get; init; } = Environment.GetEnvironmentVariable("PF_UPDATE_GOLDEN") == "1";

    /// <summary>The device being run (after <see cref="Run"/> started).</summary>
    public VirtualPump Pump => _pump;

    /// <summary>Store to run on (default: a fresh in-memory one).</summary>
    public FaultyRecordStore? Store { get; init; }

    /// <summary>Called after every service pass (tests watch the plant and the firmware here).</summary>
    public Action<VirtualPump>? Observer { get; init; }

    /// <summary>Runs the whole scenario.</summary>
    public ScenarioResult Run()
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var s = _scenario;
        _pump = new VirtualPump(new VirtualPumpOptions
        {
            Clock = ClockMode.Manual,
            Store = Store,
            Seed = s.Seed,
            PlantStepsPerMl = s.PlantStepsPerMl,
            CalibrationErrorPpm = s.CalibrationErrorPpm,
            Pulsation = s.Pulsation,
            BalanceNoiseGrams = s.NoiseGrams,
            PressurePlant = s.PressurePlant,
            ComplianceMicrolitersPer100MmHg = s.ComplianceMicrolitersPer100MmHg,
            PressureLeakSeconds = s.PressureLeakSeconds,
            PressureNoiseMillivolts = s.PressureNoiseMillivolts,
            BatteryCapacityMah = s.BatteryCapacityMah,
            BatteryCapacityErrorPpm = s.BatteryCapacityErrorPpm,
        });
        _pump.AfterService = OnService;
        Trace($"# scenario {s.Name} seed {s.Seed} start {s.StartUnixSeconds} duration_s {s.DurationMicros / 1_000_000}");
        if (!s.TraceTelemetry && s.TelemetrySeconds > 0) Trace("# !TEL lines are in the telemetry CSV, not in this trace");
        _csv?.WriteLine(CsvHeader + (s.Balance ? ",mass_g" : ""));
        ReadProgramFacts();

        _pump.PowerOn();
        Send("AUTH " + s.Pin);
        Send("TIME " + s.StartUnixSeconds.ToString(CultureInfo.InvariantCulture));
        if (s.ProgramLines.Count > 0)
        {
            Send("PROG:NEW");
            bool refused = false;
            foreach (string line in s.ProgramLines)
            {
                string? reply = Send(line);
                if (IsOk(reply)) continue;
                _result.Failures.Add($"program: '{line}' was refused: {reply}");
                refused = true;
            }
            string? review = Send("PROG:REVIEW");
            if (review == null || !review.StartsWith("OK crc=", StringComparison.Ordinal))
            {
                if (!refused) _result.Failures.Add("program: the program was refused: " + review);
            }
            else
            {
                string? commit = Send("PROG:COMMIT " + review.Substring(7, 4));
                if (!IsOk(commit)) _result.Failures.Add("program: the commit was refused: " + commit);
            }
        }
        if (s.TelemetrySeconds > 0) Send("TEL " + s.TelemetrySeconds.ToString(CultureInfo.InvariantCulture));

        _bootsSeen = _pump.Boots;
        foreach (ScenarioAction action in s.Actions)
        {
            AdvanceTo(action.AtMicros);
            if (action.Verb != "expect")
            {
                CloseOpenReply();
                ResumeTelemetry();
                _actionStartIndex = _events.Count;
                _actionStartMicros = action.AtMicros;
            }
            Do(action);
            if (action.Verb != "expect")
            {
                // Windows are measured from the end of the action (a power cycle's off-time is
                // inside it), but see the ! lines the action itself caused.
                _actionEndWorldMicros = _pump.Clock.WorldMicros;
                _actionEndSteps = _stepsSeen;
            }
            ResumeTelemetry();
        }
        CloseOpenReply();
        AdvanceTo(s.DurationMicros);
        Finish();
        _result.WallSeconds = stopwatch.Elapsed.TotalSeconds;
        return _result;
    }

    private void Do(ScenarioAction action)
    {
        string arg = action.Argument;
        string? reply;
        switch (action.Verb)
        {
            case "expect":
                Expect(action, fromActionStart: action.AtMicros == _actionStartMicros);
                return;
            case "send":
                reply = Send(arg);
                break;
            case "auth":
                reply = Send("AUTH " + _scenario.Pin);
                break;
            case "start":
            case "stop":
                Send("AUTH " + _scenario.Pin);
                reply = Send(action.Verb.ToUpperInvariant());
                break;
            case "ptm":
                reply = Send("PTM");
                if (reply != null && reply.StartsWith("OK", StringComparison.Ordinal)) _result.PtmGranted++;
                else _result.PtmRefused++;
                break;
            case "bolus":
                Send("AUTH " + _scenario.Pin);
                reply = Send("BOLUS " + arg);
                if (reply != null && reply.StartsWith("OK", StringComparison.Ordinal)) _result.ClinicianBoluses++;
                break;
            case "refill":
                Send("AUTH " + _scenario.Pin);
                reply = Send("REFILL " + arg);
                break;
            case "prime":
                Send("AUTH " + _scenario.Pin);
                reply = Send("PRIME " + arg);
                break;
            case "fault":
                reply = Send("SIM:FAULT " + arg.ToUpperInvariant());
                break;
            case "ack":
                reply = Send("ALARM:ACK " + arg.ToUpperInvariant());
                break;
            case "status":
                reply = Send("STATUS?");
                break;
            case "powercycle":
                long off = 0;
                if (arg.Length > 0) Scenario.TryDuration(arg, out off);
                reply = Send("SIM:POWERCYCLE " + (off / 1_000_000).ToString(CultureInfo.InvariantCulture));
                break;
            case "program":
                reply = Program(action.ProgramLines, arg);
                break;
            case "cut":
            {
                string[] a = arg.Split(' ');
                reply = Send("SIM:CUT " + a[0] + " " + a[2]);
                break;
            }
            case "tear":
                reply = Send("SIM:TEAR " + arg);
                break;
            case "writefail":
                reply = Send("SIM:WRITEFAIL " + arg);
                break;
            case "flip":
                reply = Send("SIM:FLIP " + arg);
                break;
            case "rtc":
                reply = Send("SIM:RTC " + arg);
                break;
            default:
                throw new InvalidOperationException("unknown verb " + action.Verb);
        }
        _open = new OpenReply(action, reply);
        if (action.Expectation != null) Expect(action, fromActionStart: true);
    }

    // PROG:NEW, the lines, PROG:REVIEW, PROG:COMMIT <crc> [BRIDGE] [OVERRIDE=TITRATION]; the first refusal is the
    // action's reply (and nothing is committed), else the commit's.
    private string? Program(IReadOnlyList<string> lines, string bridge)
    {
        Send("AUTH " + _scenario.Pin);
        string? reply = Send("PROG:NEW");
        if (!IsOk(reply)) return reply;
        foreach (string line in lines)
        {
            reply = Send(line);
            if (!IsOk(reply)) return reply;
        }
        bool overrideTitration = bridge.Contains("OVERRIDE=TITRATION", StringComparison.Ordinal);
        string? review = Send(overrideTitration ? "PROG:REVIEW OVERRIDE=TITRATION" : "PROG:REVIEW");
        if (review == null || !review.StartsWith("OK crc=", StringComparison.Ordinal)) return review;
        return Send("PROG:COMMIT " + review.Substring(7, 4) + (bridge.Length > 0 ? " " + bridge : ""));
    }

    private static bool IsOk(string? reply) => reply != null && reply.StartsWith("OK", StringComparison.Ordinal);

    private void Expect(ScenarioAction action, bool fromActionStart)
    {
        switch (action.Expectation)
        {
            case ReplyExpectation r:
                _result.Checks++;
                if (_open == null)
                {
                    Fail(action, "there is no reply to check: no action came before this expect");
                    return;
                }
                _open = _open with { Excused = true };
                string? why = r.Check(_open.Reply);
                if (why != null) Fail(action, why + $" (the reply to {_open.Action.Location})");
                else if (_open.Reply != null && _open.Reply.StartsWith("ERR", StringComparison.Ordinal)) _result.ExpectedErrors++;
                return;
            case ValueExpectation v:
            {
                _result.Checks++;
                string? actual;
                string where;
                switch (v.Subject)
                {
                    case "mass_g":
                        actual = (Math.Round(_pump.Balance.TrueMassGrams / 0.0001) * 0.0001).ToString("0.0000", CultureInfo.InvariantCulture);
                        where = "the balance";
                        break;
                    case "max_24h_ug":
                        actual = _result.MaxRolling24hUg.ToString("0.000", CultureInfo.InvariantCulture);
                        where = "the plant's delivery in any 24 h so far";
                        break;
                    case "plant_ul":
                        actual = (_pump.Plant.DeliveredNanoliters / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
                        where = "the plant";
                        break;
                    default:
                        string? reply = _open?.Reply;
                        actual = reply == null ? null : Field(reply, v.Subject);
                        where = reply == null ? "no reply" : $"'{reply}'";
                        break;
                }
                string? failure = v.Check(actual, where);
                if (failure != null) Fail(action, failure);
                return;
            }
            case EventExpectation e:
            {
                // Opened when the action ended, counting the ! lines it caused; or now for a later `at <t> expect`.
                var window = fromActionStart
                    ? new EventWindow(action, e, _actionEndWorldMicros, _actionEndSteps)
                    : new EventWindow(action, e, _pump.Clock.WorldMicros, _stepsSeen);
                int opensWindowAt = fromActionStart ? _actionStartIndex : _events.Count;
                _windows.Add(window);
                for (int i = opensWindowAt; i < _events.Count && _windows.Contains(window); i++) Offer(window, _events[i]);
                return;
            }
        }
    }

    private void Fail(ScenarioAction action, string why) => _result.Failures.Add(action.Location + ": " + why);

    // An ERR reply that no expect line after its action allowed.
    private void CloseOpenReply()
    {
        if (_open == null) return;
        OpenReply open = _open;
        _open = null;
        if (open.Excused || open.Reply == null || !open.Reply.StartsWith("ERR", StringComparison.Ordinal)) return;
        _result.Errors++;
        if (_scenario.ErrorsFail)
        {
            string code = open.Reply.Length >= 7 ? open.Reply[..7] : open.Reply;
            Fail(open.Action, $"unexpected '{open.Reply}' (if it is meant, write 'expect {code}' on the next line)");
        }
    }

    private void Offer(EventWindow w, EventRecord e)
    {
        if (!Inside(w, e.WorldMicros, e.Steps) || !w.Expectation.Matches(e.Line)) return;
        _windows.Remove(w);
        _result.Checks++;
        if (!w.Expectation.Must)
            Fail(w.Action, $"expected no {w.Expectation.Text[(w.Expectation.Text.IndexOf('!'))..]}, got '{e.Line}' at {Scenario.FormatTime(e.WorldMicros)}");
    }

    private static bool Inside(EventWindow w, long worldMicros, long steps) =>
        (w.Expectation.WindowMicros is not long micros || worldMicros <= w.OpenedWorldMicros + micros)
        && (w.Expectation.WindowSteps is not long n || steps <= w.OpenedSteps + n);

    // Windows whose end has passed: a "must" one failed, a "must not" one held.
    private void CloseWindows(bool end)
    {
        if (_windows.Count == 0) return;
        long now = _pump.Clock.WorldMicros;
        for (int i = _windows.Count - 1; i >= 0; i--)
        {
            EventWindow w = _windows[i];
            if (!end && Inside(w, now, _stepsSeen)) continue;
            _windows.RemoveAt(i);
            _result.Checks++;
            if (w.Expectation.Must)
            {
                string when = end && Inside(w, now, _stepsSeen) ? "the scenario ended first" : "none came";
                Fail(w.Action, $"expected {w.Expectation.Text}: {when} (window opened at {Scenario.FormatTime(w.OpenedWorldMicros)}{LastLike(w.Expectation)})");
            }
        }
    }

    private string LastLike(EventExpectation e)
    {
        for (int i = _events.Count - 1; i >= 0; i--)
        {
            if (_events[i].Line.StartsWith(e.Word, StringComparison.Ordinal))
                return $"; the last {e.Word} was '{_events[i].Line}' at {Scenario.FormatTime(_events[i].WorldMicros)}";
        }
        return $"; no {e.Word} line came at all";
    }

    // A reset turns telemetry off (PROTOCOL.md); a logger would turn it back on when it sees !BOOT.
    private void ResumeTelemetry()
    {
        if (_pump.Boots == _bootsSeen) return;
        _bootsSeen = _pump.Boots;
        if (_scenario.TelemetrySeconds > 0) Send("TEL " + _scenario.TelemetrySeconds.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Sends one line and returns its status line (null: none came, e.g. a power cut took it).</summary>
    public string? Send(string line)
    {
        Trace(Stamp() + " > " + line);
        _statuses.Clear();
        _pump.Send(line);
        _pump.Poll();
        int guard = 0;
        while (_pump.Link.PendingToDevice > 0 && guard++ < 100) _pump.Poll();
        return _statuses.Count > 0 ? _statuses.Dequeue() : null;
    }

    private void AdvanceTo(long scenarioMicros)
    {
        long delta = scenarioMicros - _pump.Clock.WorldMicros;
        if (delta > 0) _pump.Advance(delta);
    }

    private void OnService()
    {
        while (true)
        {
            int n = _pump.Link.HostRead(_buffer, 0, _buffer.Length);
            if (n <= 0) break;
            for (int i = 0; i < n; i++)
            {
                char c = (char)_buffer[i];
                if (c == '\n')
                {
                    OnLine(_partial.ToString());
                    _partial.Clear();
                }
                else if (c != '\r')
                {
                    _partial.Append(c);
                }
            }
        }
        TrackSteps();
        CloseWindows(end: false);
        TrackRollingWindow();
        Observer?.Invoke(_pump);
    }

    private void OnLine(string line)
    {
        bool telemetry = line.StartsWith("!TEL ", StringComparison.Ordinal);
        if (!telemetry || _scenario.TraceTelemetry) Trace(Stamp() + " < " + line);
        if (line.StartsWith('!'))
        {
            var record = new EventRecord(line, _pump.Clock.WorldMicros, _stepsSeen);
            if (!telemetry || _windows.Count > 0) _events.Add(record);
            for (int i = _windows.Count - 1; i >= 0; i--)
            {
                if (i < _windows.Count) Offer(_windows[i], record);
            }
        }
        if (telemetry)
        {
            WriteCsvRow(line);
            return;
        }
        if (line.StartsWith("!ALARM ", StringComparison.Ordinal) && line.Contains(" state=RAISED", StringComparison.Ordinal))
        {
            string code = Field(line, "code") ?? "?";
            _result.AlarmsRaised[code] = _result.AlarmsRaised.GetValueOrDefault(code) + 1;
            return;
        }
        if (!line.StartsWith('!')) _statuses.Enqueue(line);
    }

    private void WriteCsvRow(string line)
    {
        _result.TelemetryRows++;
        if (_csv == null) return;
        long world = _pump.Clock.WorldMicros;
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(_scenario.StartUnixSeconds * 1000 + world / 1000);
        var sb = new StringBuilder();
        sb.Append(utc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        foreach (string key in TelFields)
        {
            sb.Append(',');
            string value = Field(line, key) ?? "";
            if (value.Contains(',') || value.Contains('"')) sb.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
            else sb.Append(value);
        }
        if (_scenario.Balance) sb.Append(',').Append(_pump.Balance.ReadGrams().ToString("0.0000", CultureInfo.InvariantCulture));
        _csv.WriteLine(sb.ToString());
    }

    // The plant's true step count at each minute of world time, to find the most drug moved in
    // any rolling 24 h (minute resolution) independently of the firmware's own window.
    private void TrackRollingWindow()
    {
        long minute = _pump.Clock.WorldMicros / 60_000_000;
        if (minute == _lastMinute) return;
        long steps = _pump.Plant.MovedSteps;
        if (_lastMinute >= 0)
        {
            for (long m = _lastMinute + 1; m < minute && m - _lastMinute <= 1441; m++) _minuteSteps[m % 1441] = _minuteSteps[_lastMinute % 1441];
        }
        _lastMinute = minute;
        _minuteSteps[minute % 1441] = steps;
        long dayAgo = minute >= 1440 ? _minuteSteps[(minute - 1440) % 1441] : 0;
        // +1 minute of slack on each side is implied by minute sampling; report the raw figure.
        double ug = (steps - dayAgo) / (double)_pump.App.Controller.StepsPerMl * _result.ConcentrationUgPerMl;
        if (ug > _result.MaxRolling24hUg) _result.MaxRolling24hUg = ug;
    }

    // Motor steps the firmware commanded, summed over boots (a boot may restore a lower count).
    private void TrackSteps()
    {
        var app = _pump.App;
        long total = app.Controller.TotalSteps;
        if (!ReferenceEquals(app, _stepsApp))
        {
            _stepsApp = app;
            _lastTotalSteps = total;
            return;
        }
        if (total > _lastTotalSteps) _stepsSeen += total - _lastTotalSteps;
        _lastTotalSteps = total;
    }

    private void ReadProgramFacts()
    {
        foreach (string line in _scenario.ProgramLines)
        {
            string[] w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (w.Length == 3 && w[0].Equals("PROG:DRUG", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(w[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double conc)) _result.ConcentrationUgPerMl = conc;
            if (w.Length == 2 && w[0].Equals("PROG:LIMIT", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(w[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double limit)) _result.LimitUgPerDay = limit;
        }
    }

    private void Finish()
    {
        CloseWindows(end: true);
        string status = Send("STATUS?") ?? "";
        _result.SimulatedSeconds = _pump.Clock.WorldMicros / 1e6;
        _result.DeliveredMicroliters = Number(Field(status, "delivered_ul"));
        _result.Steps = (long)Number(Field(status, "steps"));
        _result.ReservoirMicroliters = Number(Field(status, "reservoir_ul"));
        _result.PlantMicroliters = _pump.Plant.DeliveredNanoliters / 1000.0;
        if (_scenario.Balance) _result.BalanceGrams = _pump.Balance.TrueMassGrams;
        _result.PowerCycles = _pump.PowerCycles;
        _result.StepsLostAtPowerLoss = _pump.StepsLostAtPowerLoss;
        Trace("# end");
        CompareGolden();
    }

    private void CompareGolden()
    {
        if (_scenario.GoldenTracePath == null || _traceCapture == null) return;
        _result.Checks++;
        string actual = _traceCapture.ToString();
        string path = _scenario.GoldenTracePath;
        if (UpdateGolden)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Files.AtomicFile.WriteAllText(path, actual);
            return;
        }
        if (!File.Exists(path))
        {
            _result.Failures.Add($"golden {_scenario.GoldenTraceName}: no such file (run with --update-golden to create it, then review it)");
            return;
        }
        string[] e = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n');
        string[] a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string? el = i < e.Length ? e[i] : null;
            string? al = i < a.Length ? a[i] : null;
            if (el == al) continue;
            _result.Failures.Add($"golden {_scenario.GoldenTraceName} line {i + 1} differs (--update-golden rewrites it if the change is meant)\n" +
                $"  expected: {el ?? "(end of file)"}\n  actual:   {al ?? "(end of trace)"}");
            return;
        }
    }

    private void Trace(string line)
    {
        _trace?.WriteLine(line);
        _traceCapture?.Append(line).Append('\n');
    }

    private static double Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : 0;

    /// <summary>The value of <c>key=</c> in a protocol line, or null.</summary>
    public static string? Field(string line, string key)
    {
        string needle = " " + key + "=";
        int at = line.IndexOf(needle, StringComparison.Ordinal);
        if (at < 0) return null;
        int start = at + needle.Length;
        int end = line.IndexOf(' ', start);
        return end < 0 ? line[start..] : line[start..end];
    }

    private string Stamp() => Scenario.FormatTime(_pump.Clock.WorldMicros);

    private sealed record OpenReply(ScenarioAction Action, string? Reply)
    {
        public bool Excused { get; init; }
    }

    private sealed record EventRecord(string Line, long WorldMicros, long Steps);

    private sealed record EventWindow(ScenarioAction Action, EventExpectation Expectation, long OpenedWorldMicros, long OpenedSteps);
}
