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
    private VirtualPump _pump = null!;

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
    }

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
        });
        _pump.AfterService = OnService;
        _trace?.WriteLine($"# scenario {s.Name} seed {s.Seed} start {s.StartUnixSeconds} duration_s {s.DurationMicros / 1_000_000}");
        if (!s.TraceTelemetry && s.TelemetrySeconds > 0) _trace?.WriteLine("# !TEL lines are in the telemetry CSV, not in this trace");
        _csv?.WriteLine(CsvHeader + (s.Balance ? ",mass_g" : ""));
        ReadProgramFacts();

        _pump.PowerOn();
        Send("AUTH " + s.Pin);
        Send("TIME " + s.StartUnixSeconds.ToString(CultureInfo.InvariantCulture));
        if (s.ProgramLines.Count > 0)
        {
            Send("PROG:NEW");
            foreach (string line in s.ProgramLines) Send(line);
            string review = Send("PROG:REVIEW");
            if (!review.StartsWith("OK crc=", StringComparison.Ordinal))
            {
                _result.Failures.Add("the program was refused: " + review);
            }
            else
            {
                string commit = Send("PROG:COMMIT " + review.Substring(7, 4));
                if (!commit.StartsWith("OK", StringComparison.Ordinal)) _result.Failures.Add("commit refused: " + commit);
            }
        }
        if (s.TelemetrySeconds > 0) Send("TEL " + s.TelemetrySeconds.ToString(CultureInfo.InvariantCulture));

        string lastStatus = "";
        foreach (ScenarioAction action in s.Actions)
        {
            AdvanceTo(action.AtMicros);
            lastStatus = Do(action, lastStatus);
        }
        AdvanceTo(s.DurationMicros);
        Finish();
        _result.WallSeconds = stopwatch.Elapsed.TotalSeconds;
        return _result;
    }

    private string Do(ScenarioAction action, string lastStatus)
    {
        string arg = action.Argument;
        string status;
        switch (action.Verb)
        {
            case "send":
                return Count(Send(arg));
            case "expect":
                if (!lastStatus.StartsWith(arg, StringComparison.Ordinal))
                    _result.Failures.Add($"line {action.LineNumber}: expected '{arg}', got '{lastStatus}'");
                return lastStatus;
            case "auth":
                return Count(Send("AUTH " + _scenario.Pin));
            case "start":
            case "stop":
                Send("AUTH " + _scenario.Pin);
                return Count(Send(action.Verb.ToUpperInvariant()));
            case "ptm":
                status = Send("PTM");
                if (status.StartsWith("OK", StringComparison.Ordinal)) _result.PtmGranted++;
                else _result.PtmRefused++;
                return status;
            case "bolus":
                Send("AUTH " + _scenario.Pin);
                status = Count(Send("BOLUS " + arg));
                if (status.StartsWith("OK", StringComparison.Ordinal)) _result.ClinicianBoluses++;
                return status;
            case "refill":
                Send("AUTH " + _scenario.Pin);
                return Count(Send("REFILL " + arg));
            case "prime":
                Send("AUTH " + _scenario.Pin);
                return Count(Send("PRIME " + arg));
            case "fault":
                return Count(Send("SIM:FAULT " + arg.ToUpperInvariant()));
            case "ack":
                return Count(Send("ALARM:ACK " + arg.ToUpperInvariant()));
            case "status":
                return Count(Send("STATUS?"));
            case "powercycle":
                long off = 0;
                if (arg.Length > 0) Scenario.TryDuration(arg, out off);
                status = Count(Send("SIM:POWERCYCLE " + (off / 1_000_000).ToString(CultureInfo.InvariantCulture)));
                // A reset turns telemetry off (PROTOCOL.md); a logger would turn it back on.
                if (_scenario.TelemetrySeconds > 0) Send("TEL " + _scenario.TelemetrySeconds.ToString(CultureInfo.InvariantCulture));
                return status;
            default:
                throw new InvalidOperationException("unknown verb " + action.Verb);
        }
    }

    private string Count(string status)
    {
        if (status.StartsWith("ERR", StringComparison.Ordinal)) _result.Errors++;
        return status;
    }

    /// <summary>Sends one line and returns its status line.</summary>
    public string Send(string line)
    {
        _trace?.WriteLine(Stamp() + " > " + line);
        _statuses.Clear();
        _pump.Send(line);
        _pump.Poll();
        int guard = 0;
        while (_pump.Link.PendingToDevice > 0 && guard++ < 100) _pump.Poll();
        return _statuses.Count > 0 ? _statuses.Dequeue() : "(no status line)";
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
        TrackRollingWindow();
        Observer?.Invoke(_pump);
    }

    private void OnLine(string line)
    {
        bool telemetry = line.StartsWith("!TEL ", StringComparison.Ordinal);
        if (!telemetry || _scenario.TraceTelemetry) _trace?.WriteLine(Stamp() + " < " + line);
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
        string status = Send("STATUS?");
        _result.SimulatedSeconds = _pump.Clock.WorldMicros / 1e6;
        _result.DeliveredMicroliters = Number(Field(status, "delivered_ul"));
        _result.Steps = (long)Number(Field(status, "steps"));
        _result.ReservoirMicroliters = Number(Field(status, "reservoir_ul"));
        _result.PlantMicroliters = _pump.Plant.DeliveredNanoliters / 1000.0;
        if (_scenario.Balance) _result.BalanceGrams = _pump.Balance.TrueMassGrams;
        _result.PowerCycles = _pump.PowerCycles;
        _result.StepsLostAtPowerLoss = _pump.StepsLostAtPowerLoss;
        _trace?.WriteLine("# end");
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

    private string Stamp()
    {
        long ms = _pump.Clock.WorldMicros / 1000;
        return $"{ms / 86_400_000}d{ms / 3_600_000 % 24:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}.{ms % 1000:000}";
    }
}
