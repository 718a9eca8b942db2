// The live view of `pumpctl log`: a Spectre.Console table redrawn in place on a terminal, or
// a plain line every minute when the output is redirected (a file, CI, nohup), so a log of
// days does not fill a file with redraws.
using System.Globalization;
using PumpCtl.Telemetry;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PumpCtl.Cli;

/// <summary>Shows the logger's progress on the console.</summary>
public sealed class ConsoleLogProgress : ILogProgress
{
    private readonly string _outPath;
    private readonly bool _withBalance;
    private readonly Queue<string> _events = new();
    private TelemetryRecord? _last;
    private decimal? _lastMass;
    private long _rows;
    private long _lost;
    private string _link = "connecting";
    private DateTime _nextPlainLine = DateTime.MinValue;
    private readonly DateTime _startUtc = DateTime.UtcNow;
    private long? _firstTMs;

    /// <summary>A view for a run writing <paramref name="outPath"/>.</summary>
    public ConsoleLogProgress(string outPath, bool withBalance, bool interactive)
    {
        _outPath = outPath;
        _withBalance = withBalance;
        Interactive = interactive;
    }

    /// <summary>True when the table is redrawn in place.</summary>
    public bool Interactive { get; }

    /// <summary>How long the run lasts; null = until Ctrl+C.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The duration counts the device's time (<c>--sim-advance</c>), not the host's.</summary>
    public bool VirtualTime { get; init; }

    /// <summary>How far the run is: host time since the start, or device time since the first row with <see cref="VirtualTime"/>.</summary>
    public TimeSpan Elapsed => VirtualTime
        ? TimeSpan.FromMilliseconds(_last != null && _firstTMs is long first && long.TryParse(_last.TMs, out long t) ? Math.Max(0, t - first) : 0)
        : DateTime.UtcNow - _startUtc;

    /// <summary>"elapsed 1 h 05 min, 55 min to go" (or "until Ctrl+C").</summary>
    public string TimeText()
    {
        TimeSpan elapsed = Elapsed;
        string clock = VirtualTime ? " of device time" : "";
        if (Duration is not TimeSpan d)
        {
            return $"{DurationText.Format(elapsed)}{clock} elapsed, until Ctrl+C";
        }
        TimeSpan left = d - elapsed < TimeSpan.Zero ? TimeSpan.Zero : d - elapsed;
        int percent = (int)Math.Min(100, 100 * elapsed.TotalSeconds / Math.Max(1e-9, d.TotalSeconds));
        return $"{DurationText.Format(elapsed)}{clock} elapsed, {DurationText.Format(left)} to go ({percent} %)";
    }

    /// <summary>Called after every change (the live display redraws).</summary>
    public Action? Changed { get; set; }

    /// <inheritdoc />
    public void Connected(string port)
    {
        _link = $"[green]logging[/] from {Markup.Escape(port)}";
        Note($"telemetry on at {port}");
    }

    /// <inheritdoc />
    public void Disconnected(string reason, TimeSpan retryIn)
    {
        _link = $"[red]disconnected[/], retry in {retryIn.TotalSeconds:0} s";
        Note($"no link: {reason}; retry in {retryIn.TotalSeconds:0} s");
    }

    /// <inheritdoc />
    public void Row(TelemetryRecord record, decimal? massGrams, long rows, long lostBefore)
    {
        _last = record;
        if (_firstTMs == null && long.TryParse(record.TMs, out long tMs))
        {
            _firstTMs = tMs;
        }
        _lastMass = massGrams;
        _rows = rows;
        _lost += lostBefore;
        if (lostBefore > 0)
        {
            Note($"{lostBefore} telemetry line(s) lost before seq {record.Seq}");
        }
        if (!Interactive && DateTime.UtcNow >= _nextPlainLine)
        {
            _nextPlainLine = DateTime.UtcNow.AddMinutes(1);
            Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} rows={rows} seq={record.Seq} state={record.State} rate_ul_day={record.RateUlDay} " +
                $"delivered_ul={record.DeliveredUl} reservoir_ul={record.ReservoirUl} alarms={record.Alarms}" +
                (_withBalance ? $" mass_g={massGrams?.ToString(CultureInfo.InvariantCulture) ?? "-"}" : "") + $" lost={_lost}; {TimeText()}");
        }
        Changed?.Invoke();
    }

    /// <inheritdoc />
    public void Event(string line) => Note(line);

    private void Note(string text)
    {
        string stamped = $"{DateTime.UtcNow:HH:mm:ss} {text}";
        if (!Interactive)
        {
            Console.WriteLine(stamped);
        }
        _events.Enqueue(stamped);
        while (_events.Count > 5)
        {
            _events.Dequeue();
        }
        Changed?.Invoke();
    }

    private string Bar()
    {
        if (Duration is not TimeSpan d || d <= TimeSpan.Zero)
        {
            return "";
        }
        int filled = (int)Math.Clamp(20 * Elapsed.TotalSeconds / d.TotalSeconds, 0, 20);
        return $"\n[green]{new string('━', filled)}[/][grey]{new string('━', 20 - filled)}[/]";
    }

    /// <summary>The table as it is now.</summary>
    public IRenderable Render()
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"pumpctl log -> {Markup.Escape(_outPath)}");
        table.AddColumn("");
        table.AddColumn("");
        table.HideHeaders();
        table.AddRow("link", _link);
        table.AddRow("time", Markup.Escape(TimeText()) + Bar());
        table.AddRow("rows", $"{_rows}  (lost seq: {(_lost == 0 ? "0" : $"[red]{_lost}[/]")})");
        if (_last != null)
        {
            double rate = _last.RateMicrolitersPerDay;
            table.AddRow("state", Markup.Escape(_last.State));
            table.AddRow("rate", $"{rate:0.###} µL/day ({rate / 24:0.###} µL/h)");
            table.AddRow("delivered", $"{Markup.Escape(_last.DeliveredUl)} µL");
            table.AddRow("reservoir", $"{Markup.Escape(_last.ReservoirUl)} µL");
            table.AddRow("alarms", _last.Alarms == "NONE" ? "NONE" : $"[red]{Markup.Escape(_last.Alarms)}[/]");
            if (_withBalance)
            {
                table.AddRow("balance", _lastMass is decimal m ? $"{m.ToString(CultureInfo.InvariantCulture)} g" : "[yellow]no reading[/]");
            }
        }
        table.AddRow("events", _events.Count == 0 ? "-" : Markup.Escape(string.Join("\n", _events)));
        table.Caption("Ctrl+C ends the run");
        return table;
    }
}
