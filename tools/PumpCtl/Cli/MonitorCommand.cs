// `pumpctl monitor`: a live status panel that polls STATUS? and shows the pump at a glance,
// including when the reservoir will run empty. Read-only: it sends nothing but STATUS?.
using System.CommandLine;
using System.Globalization;
using PumpCtl.Serial;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl monitor</c>.</summary>
public static class MonitorCommand
{
    /// <summary>The command.</summary>
    public static Command Create(ISerialLineOpener opener)
    {
        var port = CommonOptions.Port();
        var crc = CommonOptions.Crc();
        var interval = OptionValues.Number("--interval", "Seconds between STATUS? polls", 0.1, 3600, minInclusive: true, "s", 1);
        var command = new Command("monitor", "Live status view (state, rate, delivered, reservoir, alarms, empty forecast); Ctrl+C ends it.")
        {
            port, crc, interval,
        };
        command.SetAction(r => Execute(opener, r.GetValue(port)!, r.GetValue(crc), TimeSpan.FromSeconds(r.GetValue(interval))));
        return command;
    }

    private static int Execute(ISerialLineOpener opener, string portName, bool crc, TimeSpan interval)
    {
        using var stop = new StopSignal();
        var events = new Queue<string>();
        try
        {
            // Fail fast on a wrong port; once it has worked, losses are shown and retried.
            ISerialLine? line = opener.Open(portName);
            Dictionary<string, string>? last = null;
            string link = "connected";
            AnsiConsole.Live(Render(portName, null, link, events)).Start(ctx =>
            {
                while (!stop.Token.IsCancellationRequested)
                {
                    try
                    {
                        line ??= opener.Open(portName);
                        var client = new PumpClient(line, crc);
                        DeviceReply reply = client.Request("STATUS?", a => Remember(events, a));
                        if (reply.IsOk)
                        {
                            last = reply.Fields;
                            link = $"[green]connected[/], updated {DateTime.Now:HH:mm:ss}";
                        }
                        else
                        {
                            link = $"[red]{Markup.Escape(reply.Status)}[/]";
                        }
                    }
                    catch (IOException e)
                    {
                        line?.Dispose();
                        line = null;
                        link = $"[red]disconnected[/] ({Markup.Escape(e.Message)}), retrying";
                    }
                    ctx.UpdateTarget(Render(portName, last, link, events));
                    stop.Token.WaitHandle.WaitOne(interval);
                }
            });
            line?.Dispose();
            return ExitCodes.Ok;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"pumpctl monitor: {e.Message}");
            return ExitCodes.Communication;
        }
    }

    private static void Remember(Queue<string> events, string line)
    {
        if (line.StartsWith("!TEL", StringComparison.Ordinal))
        {
            return;
        }
        events.Enqueue($"{DateTime.Now:HH:mm:ss} {line}");
        while (events.Count > 6)
        {
            events.Dequeue();
        }
    }

    private static IRenderable Render(string port, Dictionary<string, string>? s, string link, Queue<string> events)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"pump on {Markup.Escape(port)}").HideHeaders();
        table.AddColumn("");
        table.AddColumn("");
        table.AddRow("link", link);
        if (s != null)
        {
            string Get(string key) => Markup.Escape(s.TryGetValue(key, out string? v) ? v : "?");
            string state = Get("state");
            string stateColor = state switch { "RUNNING" => "green", "ALARM" => "red", "SUSPENDED" => "yellow", _ => "grey" };
            table.AddRow("state", $"[{stateColor}]{state}[/]  bolus={Get("bolus")}");
            string rate = Get("rate_ul_day");
            if (double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out double r))
            {
                rate = $"{r:0.###} µL/day = {r / 24:0.###} µL/h ({Get("rate_ug_day")} µg/day)";
            }
            table.AddRow("rate", rate);
            table.AddRow("delivered", $"{Get("delivered_ul")} µL ({Get("steps")} steps)");
            table.AddRow("reservoir", $"{Get("reservoir_ul")} µL");
            string alarms = Get("alarms");
            table.AddRow("alarms", alarms == "NONE" ? "NONE" : $"[red]{alarms}[/]");
            table.AddRow("empty in", EmptyForecast(Get("empty_in_s")));
            table.AddRow("program", $"crc {Get("program_crc")}");
            table.AddRow("device time", $"t_ms={Get("t_ms")} unix_s={Get("unix_s")}");
        }
        table.AddRow("events", events.Count == 0 ? "-" : Markup.Escape(string.Join("\n", events)));
        table.Caption("Ctrl+C ends the view");
        return table;
    }

    /// <summary>"3 d 4 h (Fri 28 Nov 14:03)" from <c>empty_in_s</c>; "-" when -1 (no forecast).</summary>
    public static string EmptyForecast(string emptyInS)
    {
        if (!long.TryParse(emptyInS, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seconds))
        {
            return Markup.Escape(emptyInS);
        }
        if (seconds < 0)
        {
            return "- (stopped, in alarm, or no flow)";
        }
        string text = DurationText.Format(TimeSpan.FromSeconds(seconds));
        return $"{text} ({DateTime.Now.AddSeconds(seconds):ddd d MMM HH:mm})";
    }
}
