// How far `pumpctl simulate DIR` is: a Spectre.Console progress bar with elapsed and remaining
// time redrawn in place when standard error is a terminal, or one plain line per finished
// scenario when it is redirected (CI logs, a file), like `pumpctl log`'s view. It writes to
// standard error, so standard output keeps only the summary table (or the TAP stream of
// `--tap -`) for whoever parses it. The remaining time assumes the scenarios left take as long
// on average as those done.
using PumpFirmware.VirtualDevice.Scenarios;
using Spectre.Console;

namespace PumpCtl.Cli;

/// <summary>Shows a suite's progress on the console.</summary>
public sealed class ConsoleSuiteProgress : ISuiteProgress
{
    private readonly TextWriter _plain;
    private readonly IAnsiConsole? _console;
    private readonly Func<TimeSpan> _elapsed;
    private int _failed;
    private ProgressTask? _task;
    private Thread? _view;
    private readonly ManualResetEventSlim _viewReady = new();
    private readonly ManualResetEventSlim _suiteDone = new();

    /// <summary>Plain lines to <paramref name="plain"/>; with <paramref name="console"/>, a live bar there instead.</summary>
    /// <param name="elapsed">Time since the start (tests pass a fake; null: a stopwatch started now).</param>
    public ConsoleSuiteProgress(TextWriter plain, IAnsiConsole? console = null, Func<TimeSpan>? elapsed = null)
    {
        _plain = plain;
        _console = console;
        if (elapsed == null)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            elapsed = () => watch.Elapsed;
        }
        _elapsed = elapsed;
    }

    /// <summary>For the process's console: live on a terminal, plain lines when standard error is redirected.</summary>
    public static ConsoleSuiteProgress ForConsole()
    {
        if (Console.IsErrorRedirected)
        {
            return new ConsoleSuiteProgress(Console.Error);
        }
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return new ConsoleSuiteProgress(Console.Error, console.Profile.Capabilities.Interactive ? console : null);
    }

    /// <summary>True when the bar is redrawn in place.</summary>
    public bool Interactive => _console != null;

    /// <summary>"4 s elapsed, about 12 s to go" after <paramref name="done"/> of <paramref name="total"/>.</summary>
    public static string TimeText(TimeSpan elapsed, int done, int total)
    {
        if (done <= 0) return $"{DurationText.Format(elapsed)} elapsed";
        if (done >= total) return $"{DurationText.Format(elapsed)} elapsed, done";
        TimeSpan left = TimeSpan.FromTicks(elapsed.Ticks / done * (total - done));
        return $"{DurationText.Format(elapsed)} elapsed, about {DurationText.Format(left)} to go";
    }

    /// <inheritdoc />
    public void Started(int scenarios)
    {
        if (_console == null)
        {
            _plain.WriteLine($"simulate: {scenarios} scenario{(scenarios == 1 ? "" : "s")}, running");
            return;
        }
        // Spectre's Progress blocks its caller while it redraws: it runs on a thread of its own
        // until the suite has ended; the runner's threads only move the task.
        _view = new Thread(() => _console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                _task = ctx.AddTask($"{scenarios} scenarios", maxValue: Math.Max(1, scenarios));
                _viewReady.Set();
                _suiteDone.Wait();
                _task.Value = _task.MaxValue;
                ctx.Refresh();
            }))
        { IsBackground = true, Name = "simulate progress" };
        _view.Start();
        _viewReady.Wait();
    }

    /// <inheritdoc />
    public void Finished(SuiteEntry entry, int done, int total)
    {
        if (!entry.Passed) _failed++;
        string verdict = entry.Passed ? "pass" : entry.Result == null ? "error" : "FAIL";
        if (_task != null)
        {
            string failed = _failed == 0 ? "" : $", [red]{_failed} failed[/]";
            _task.Description = $"{done}/{total} scenarios{failed}: {Markup.Escape(entry.Name)}";
            _task.Increment(1);
            return;
        }
        _plain.WriteLine($"simulate: {done}/{total} {verdict} {entry.Name}; {TimeText(_elapsed(), done, total)}");
    }

    /// <inheritdoc />
    public void Ended()
    {
        if (_view == null) return;
        _suiteDone.Set();
        _view.Join();
        _view = null;
    }
}
