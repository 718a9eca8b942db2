using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PumpFirmware.VirtualDevice.Tests.EndToEnd;

/// <summary>`pumpctl` as a separate process, as a user starts it (the test output folder holds pumpctl.dll).</summary>
internal sealed class PumpctlProcess : IDisposable
{
    private readonly Process _process;

    public PumpctlProcess(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "pumpctl.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string a in args) info.ArgumentList.Add(a);
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start pumpctl");
    }

    public Process Process => _process;

    public string ReadStdoutLine(TimeSpan timeout)
    {
        var task = _process.StandardOutput.ReadLineAsync();
        if (!task.Wait(timeout)) throw new TimeoutException("pumpctl printed nothing; stderr: " + StderrSoFar());
        return task.Result ?? throw new InvalidOperationException("pumpctl ended; stderr: " + StderrSoFar());
    }

    private string StderrSoFar() => _process.HasExited ? _process.StandardError.ReadToEnd() : "(still running)";

    /// <summary>Sends SIGTERM (what `kill` and systemd send) and waits for the exit code.</summary>
    public int Terminate(TimeSpan timeout)
    {
        kill(_process.Id, 15);
        if (!_process.WaitForExit(timeout)) throw new TimeoutException("pumpctl did not end on SIGTERM");
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
