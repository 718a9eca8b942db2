// What the bench procedures share: requests that must succeed, the balance's readings, waiting
// (the host's clock on a rig, SIM:ADVANCE on the virtual device), the bench program, and a
// progress line now and then for runs of hours.
using System.Globalization;
using PumpCtl.Balance;
using PumpCtl.Cli;
using PumpCtl.Serial;

namespace PumpCtl.Bench;

/// <summary>A pump and a balance under a bench procedure.</summary>
public sealed class BenchSession
{
    /// <summary>Concentration of the bench program, µg/mL: 1 µg is 1 µL, so doses and rates read as volumes.</summary>
    public const int BenchConcentrationUgPerMl = 1000;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly PumpClient _pump;
    private readonly ISerialLine _balance;
    private readonly string _pin;
    private readonly TextWriter _out;
    private DateTime _nextProgress = DateTime.MinValue;

    /// <summary>A session on <paramref name="pump"/> and <paramref name="balance"/>.</summary>
    /// <param name="simAdvance">The virtual device: time moves by SIM:ADVANCE, faults by SIM:FAULT.</param>
    public BenchSession(PumpClient pump, ISerialLine balance, string pin, bool simAdvance, TextWriter output)
    {
        _pump = pump;
        _balance = balance;
        _pin = pin;
        SimAdvance = simAdvance;
        _out = output;
    }

    /// <summary>True on the virtual device (SIM:ADVANCE and SIM:FAULT).</summary>
    public bool SimAdvance { get; }

    /// <summary>How long to wait for a stable balance reading.</summary>
    public TimeSpan BalanceTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Host time between two progress lines.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Sends <paramref name="request"/>; an ERR ends the run.</summary>
    public DeviceReply Ok(string request, Action<string>? onAsync = null)
    {
        DeviceReply reply = _pump.Request(request, onAsync);
        if (!reply.IsOk)
        {
            string shown = request.StartsWith("AUTH ", StringComparison.Ordinal) ? "AUTH ****" : request;
            throw new BenchException($"'{shown}' got {reply.Status}");
        }
        return reply;
    }

    /// <summary>AUTH with the session's PIN (sessions end after 600 s without a request: sent before each change).</summary>
    public void Auth() => Ok("AUTH " + _pin);

    /// <summary>STATUS? fields.</summary>
    public Dictionary<string, string> Status() => Ok("STATUS?").Fields;

    /// <summary>A number field of a reply; the run ends when it is missing.</summary>
    public static double Number(Dictionary<string, string> fields, string key)
    {
        if (fields.TryGetValue(key, out string? text) && double.TryParse(text, NumberStyles.Float, C, out double value))
        {
            return value;
        }
        throw new BenchException($"the pump's reply has no number {key}= ({string.Join(" ", fields.Select(f => f.Key + "=" + f.Value))})");
    }

    /// <summary>True when the comma list field <paramref name="key"/> holds <paramref name="item"/>.</summary>
    public static bool ListHas(Dictionary<string, string> fields, string key, string item) =>
        fields.TryGetValue(key, out string? list) && list.Split(',').Contains(item);

    /// <summary>Lets <paramref name="seconds"/> pass: SIM:ADVANCE on the virtual device (its `!` lines go to
    /// <paramref name="onAsync"/>), the host's clock on a rig.</summary>
    public void Wait(double seconds, Action<string>? onAsync = null)
    {
        if (seconds <= 0)
        {
            return;
        }
        if (SimAdvance)
        {
            Ok(string.Format(C, "SIM:ADVANCE {0:0.###}", seconds), onAsync);
            return;
        }
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            string? line = _pump.ReadAsync(TimeSpan.FromMilliseconds(Math.Min(500, Math.Max(1, (until - DateTime.UtcNow).TotalMilliseconds))));
            if (line != null && line.StartsWith('!'))
            {
                onAsync?.Invoke(line);
            }
        }
    }

    /// <summary>MT-SICS <c>S</c>: the stable weight, g.</summary>
    public double StableGrams() => Weigh("S", stable: true);

    /// <summary>MT-SICS <c>SI</c>: the weight now, stable or not, g (a time series' sample).</summary>
    public double GramsNow() => Weigh("SI", stable: false);

    private double Weigh(string command, bool stable)
    {
        _balance.WriteLine(command);
        string? reply = _balance.ReadLine(BalanceTimeout);
        if (reply == null)
        {
            throw new IOException($"balance on {_balance.Name}: no reading within {BalanceTimeout.TotalSeconds:0} s");
        }
        MtSicsReading reading = MtSicsParser.Parse(reply);
        if (!reading.HasValue || (stable && !reading.Stable))
        {
            throw new BenchException($"balance on {_balance.Name} gave no {(stable ? "stable " : "")}weight: {reading.Error ?? reply}");
        }
        return (double)reading.Grams!.Value;
    }

    /// <summary>Commits the bench program (drug <c>bench</c> at 1000 µg/mL, one step at <paramref name="basalUlPerHour"/>,
    /// the limit given, no low-reservoir alarm, a capacity of at least <paramref name="needUl"/>), refills when the
    /// reservoir holds less than <paramref name="needUl"/> (only with <paramref name="refillUl"/>), and starts.</summary>
    public void StartBenchProgram(double basalUlPerHour, double limitUgPerDay, double needUl, int? refillUl)
    {
        Auth();
        var status = Status();
        if (status["state"] == "ALARM")
        {
            throw new BenchException($"the pump is in ALARM (alarms={status["alarms"]}); clear the cause, ALARM:ACK and START, then run the bench again");
        }
        double capacity = Math.Max(20000, Math.Ceiling(needUl * 1.1));
        Ok("PROG:NEW");
        Ok(string.Format(C, "PROG:DRUG bench {0}", BenchConcentrationUgPerMl));
        Ok(string.Format(C, "PROG:LIMIT {0:0.###}", Math.Ceiling(limitUgPerDay)));
        Ok(string.Format(C, "PROG:STEP 00:00 {0:0.###}", basalUlPerHour * 24 * BenchConcentrationUgPerMl / 1000.0));
        Ok(string.Format(C, "PROG:RESERVOIR {0:0} 0", capacity));
        string crc = Ok("PROG:REVIEW").Fields["crc"];
        Ok("PROG:COMMIT " + crc);
        _out.WriteLine(string.Format(C, "committed the bench program: 1000 ug/mL (1 ug = 1 uL), basal {0:0.###} uL/h (crc {1})", basalUlPerHour, crc));
        double reservoir = Number(Status(), "reservoir_ul");
        if (reservoir < needUl)
        {
            if (refillUl is not int refill)
            {
                throw new BenchException(string.Format(C, "the reservoir holds {0:0.###} uL and the run needs {1:0} uL: fill it and pass --refill <uL> (sends REFILL)", reservoir, needUl));
            }
            if (refill < needUl)
            {
                throw new BenchException(string.Format(C, "--refill {0} uL is less than the {1:0} uL the run needs", refill, needUl));
            }
            Ok(string.Format(C, "REFILL {0}", refill));
            _out.WriteLine($"sent REFILL {refill}");
        }
        Ok("TEL 0");
        if (Status()["state"] != "RUNNING")
        {
            Ok("START");
        }
    }

    /// <summary>Prints <paramref name="line"/> when the last progress line is older than the interval, or when
    /// <paramref name="force"/>.</summary>
    public void Progress(string line, bool force = false)
    {
        if (!force && DateTime.UtcNow < _nextProgress)
        {
            return;
        }
        _nextProgress = DateTime.UtcNow + ProgressInterval;
        _out.WriteLine(line);
    }

    /// <summary>"2 h 05 min" for seconds of device time.</summary>
    public static string Span(double seconds) => DurationText.Format(TimeSpan.FromSeconds(Math.Max(0, seconds)));
}
