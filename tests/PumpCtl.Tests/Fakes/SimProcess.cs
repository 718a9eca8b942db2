// `pumpctl sim` started as a user starts it (its own process), with the lines it announces
// (PTY, BALANCE, LINK) read back; ended with SIGTERM as Ctrl+C would, so it cleans up.
using System.Diagnostics;
using System.Runtime.InteropServices;
using PumpCtl.Cli;

namespace PumpCtl.Tests.Fakes;

public sealed class SimProcess : IDisposable
{
    private readonly Process _process;

    [DllImport("libc", SetLastError = true)] private static extern int kill(int pid, int signal);

    public SimProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(CliApp).Assembly.Location);
        start.ArgumentList.Add("sim");
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        _process = Process.Start(start)!;
        int expected = 1 + (args.Contains("--balance-pty") ? 1 : 0) + (args.Contains("--link") ? 1 : 0);
        for (int i = 0; i < expected; i++)
        {
            Task<string?> read = _process.StandardOutput.ReadLineAsync();
            if (!read.Wait(TimeSpan.FromSeconds(30)) || read.Result is not string line)
            {
                _process.Kill();
                throw new InvalidOperationException("pumpctl sim did not announce itself: " + _process.StandardError.ReadToEnd());
            }
            int space = line.IndexOf(' ');
            Announced[line[..space]] = line[(space + 1)..];
        }
    }

    /// <summary>What it printed: "PTY" → /dev/pts/N, "BALANCE" → ..., "LINK" → ....</summary>
    public Dictionary<string, string> Announced { get; } = new();

    public string Pty => Announced["PTY"];

    /// <summary>Sends SIGTERM and waits for the exit code.</summary>
    public int Stop()
    {
        if (!_process.HasExited)
        {
            kill(_process.Id, 15);
            if (!_process.WaitForExit(20_000))
            {
                _process.Kill();
            }
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }
}
