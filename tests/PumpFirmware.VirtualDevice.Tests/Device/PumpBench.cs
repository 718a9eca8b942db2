using PumpFirmware.VirtualDevice.Device;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Device;

/// <summary>A virtual pump with its output collected line by line: send a request, read what came back.</summary>
internal sealed class PumpBench
{
    public readonly VirtualPump Pump;
    private readonly List<string> _lines = new();
    private readonly System.Text.StringBuilder _partial = new();

    public PumpBench(VirtualPumpOptions? options = null)
    {
        Pump = new VirtualPump(options);
        var buffer = new byte[4096];
        Pump.AfterService = () =>
        {
            int n;
            while ((n = Pump.Link.HostRead(buffer, 0, buffer.Length)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    if (buffer[i] == '\n') { _lines.Add(_partial.ToString()); _partial.Clear(); }
                    else _partial.Append((char)buffer[i]);
                }
            }
        };
        Pump.PowerOn();
    }

    /// <summary>Every line received since the last call.</summary>
    public List<string> Take()
    {
        var lines = new List<string>(_lines);
        _lines.Clear();
        return lines;
    }

    public List<string> Send(string line)
    {
        _lines.Clear();
        Pump.Send(line);
        Pump.Poll();
        return Take();
    }

    public string Status(string line) => Send(line).Last(l => !l.StartsWith('!'));

    public void Ok(string line) => Assert.StartsWith("OK", Status(line));

    /// <summary>AUTH, then stages and commits the program lines given.</summary>
    public void Program(params string[] lines)
    {
        Ok("AUTH 0000");
        Ok("PROG:NEW");
        foreach (string l in lines) Ok(l);
        string review = Status("PROG:REVIEW");
        Assert.StartsWith("OK crc=", review);
        Ok("PROG:COMMIT " + review.Substring(7, 4));
    }

    public static long Field(string line, string key)
    {
        string? value = PumpFirmware.VirtualDevice.Scenarios.ScenarioRunner.Field(line, key);
        Assert.True(value != null, $"no {key}= in '{line}'");
        return long.Parse(value!.Replace(".", ""));
    }

    public static string Word(string line, string key) =>
        PumpFirmware.VirtualDevice.Scenarios.ScenarioRunner.Field(line, key) ?? throw new Xunit.Sdk.XunitException($"no {key}= in '{line}'");
}
