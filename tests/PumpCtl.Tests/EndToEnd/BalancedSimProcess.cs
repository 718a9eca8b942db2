// `pumpctl sim --pty --balance-pty --clock manual` as a separate process, as a user starts
// it, with its two ptys read from the announcement; killed and its folder removed on Dispose.
using System.Diagnostics;
using PumpCtl.Cli;
using PumpCtl.Serial;
using Xunit;

namespace PumpCtl.Tests.EndToEnd;

public sealed class BalancedSimProcess : IDisposable
{
    private readonly Process _process;

    public BalancedSimProcess(params string[] extraArgs)
    {
        Folder = Path.Combine(Path.GetTempPath(), "pumpctl-simproc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Manual clock unless the test asks for another (the parser refuses --clock twice).
        string[] clock = extraArgs.Contains("--clock") ? Array.Empty<string>() : new[] { "--clock", "manual" };
        foreach (string a in new[] { typeof(CliApp).Assembly.Location, "sim", "--pty", "--balance-pty", "--state", Path.Combine(Folder, "state") }.Concat(clock).Concat(extraArgs))
        {
            start.ArgumentList.Add(a);
        }
        _process = Process.Start(start)!;
        for (int i = 0; i < 2; i++)
        {
            Task<string?> read = _process.StandardOutput.ReadLineAsync();
            if (!read.Wait(TimeSpan.FromSeconds(20)) || read.Result is not string line)
            {
                _process.Kill();
                throw new InvalidOperationException("pumpctl sim did not announce its ptys: " + _process.StandardError.ReadToEnd());
            }
            if (line.StartsWith("PTY "))
            {
                PumpPty = line[4..];
            }
            else if (line.StartsWith("BALANCE "))
            {
                BalancePty = line[8..];
            }
        }
        Assert.NotEqual("", PumpPty);
        Assert.NotEqual("", BalancePty);
    }

    public string Folder { get; }

    public string PumpPty { get; } = "";

    public string BalancePty { get; } = "";

    /// <summary>Sends each line over a fresh connection and requires OK; PROG:COMMIT takes the reviewed crc.</summary>
    public Dictionary<string, string> Send(params string[] lines)
    {
        using var port = new SerialPortLine(PumpPty);
        var client = new PumpClient(port) { Timeout = TimeSpan.FromSeconds(30) };
        string crc = "";
        DeviceReply last = null!;
        foreach (string raw in lines)
        {
            string line = raw == "PROG:COMMIT" ? "PROG:COMMIT " + crc : raw;
            last = client.Request(line);
            Assert.True(last.IsOk, $"{line}: {last.Status}");
            if (line == "PROG:REVIEW")
            {
                crc = last.Fields["crc"];
            }
        }
        return last.Fields;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        Directory.Delete(Folder, true);
    }
}
