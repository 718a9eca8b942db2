// `pumpctl sim --pty --balance-pty --clock manual` in a folder of its own, started and ended by SimProcess (as a
// user starts it, with SIGTERM at the end); the folder is removed on Dispose.
using PumpCtl.Serial;
using PumpCtl.Tests.Fakes;
using Xunit;

namespace PumpCtl.Tests.EndToEnd;

public sealed class BalancedSimProcess : IDisposable
{
    private readonly SimProcess _sim;

    public BalancedSimProcess(params string[] extraArgs)
    {
        Folder = Path.Combine(Path.GetTempPath(), "pumpctl-simproc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        // Manual clock unless the test asks for another (the parser refuses --clock twice).
        string[] clock = extraArgs.Contains("--clock") ? Array.Empty<string>() : new[] { "--clock", "manual" };
        _sim = new SimProcess(new[] { "--pty", "--balance-pty", "--state", Path.Combine(Folder, "state") }.Concat(clock).Concat(extraArgs).ToArray());
        Assert.True(_sim.Announced.ContainsKey("BALANCE"), "no BALANCE pty announced");
    }

    public string Folder { get; }

    public string PumpPty => _sim.Pty;

    public string BalancePty => _sim.Announced["BALANCE"];

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
        _sim.Dispose();
        Directory.Delete(Folder, true);
    }
}
