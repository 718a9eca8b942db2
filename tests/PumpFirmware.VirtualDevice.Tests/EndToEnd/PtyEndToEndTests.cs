using System.IO.Ports;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.EndToEnd;

/// <summary>`pumpctl sim --pty` driven through System.IO.Ports, as a researcher's program would drive the pump.</summary>
public class PtyEndToEndTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _state = Path.Combine(Path.GetTempPath(), "pf-e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state)) Directory.Delete(_state, true);
    }

    private static SerialPort Open(string path)
    {
        var port = new SerialPort(path, 115200) { NewLine = "\n", ReadTimeout = 20_000, WriteTimeout = 20_000 };
        port.Open();
        return port;
    }

    /// <summary>Sends a request and returns the lines up to and including its status line.</summary>
    private static List<string> Request(SerialPort port, string line)
    {
        port.Write(line + "\n");
        var lines = new List<string>();
        while (true)
        {
            string got = port.ReadLine();
            lines.Add(got);
            if (!got.StartsWith('!')) return lines;
        }
    }

    private static string Status(SerialPort port, string line) => Request(port, line)[^1];

    private static string Field(string line, string key) =>
        PumpFirmware.VirtualDevice.Scenarios.ScenarioRunner.Field(line, key) ?? throw new Xunit.Sdk.XunitException($"no {key}= in '{line}'");

    [Fact]
    public void A_session_over_a_serial_port_programs_runs_advances_power_cycles_and_ends_on_sigterm()
    {
        using var pumpctl = new PumpctlProcess("sim", "--pty", "--clock", "manual", "--state", _state);
        string first = pumpctl.ReadStdoutLine(Timeout);
        Assert.StartsWith("PTY /dev/", first);
        string path = first[4..];

        // The device has sent !BOOT before any client opened the port. In raw mode (no echo) it
        // is not bounced back into the device as a request, so nothing below sees an ERR for it.
        Thread.Sleep(300);
        using (var port = Open(path))
        {
            var idn = Request(port, "*IDN?");
            Assert.DoesNotContain(idn, l => l.StartsWith("ERR", StringComparison.Ordinal));
            Assert.Matches("^OK vendor=\\S+ model=PF-VIRTUAL serial=\\S+ fw=\\S+ proto=1$", idn[^1]);

            Assert.Equal("OK session_s=600", Status(port, "AUTH 0000"));
            Assert.Equal("OK", Status(port, "TIME 1767225600"));
            foreach (string line in new[] { "PROG:NEW", "PROG:DRUG baclofen 500", "PROG:LIMIT 500", "PROG:STEP 00:00 480", "PROG:RESERVOIR 20000 2000" })
                Assert.Equal("OK", Status(port, line));
            string review = Status(port, "PROG:REVIEW");
            Assert.StartsWith("OK crc=", review);
            Assert.StartsWith("OK", Status(port, "PROG:COMMIT " + review.Substring(7, 4)));
            Assert.Equal("OK", Status(port, "REFILL 10000"));
            Assert.Equal("OK", Status(port, "START"));

            // 480 ug/day at 500 ug/mL = 960 uL/day = 40 uL/h; at 64000 steps/mL that is 2560 steps in the hour.
            Assert.Equal("OK t_ms=3600000", Status(port, "SIM:ADVANCE 3600"));
            string status = Status(port, "STATUS?");
            Assert.Equal("RUNNING", Field(status, "state"));
            Assert.Equal("2560", Field(status, "steps"));
            Assert.Equal("40.000", Field(status, "delivered_ul"));
            Assert.Equal("9960.000", Field(status, "reservoir_ul"));

            var cycle = Request(port, "SIM:POWERCYCLE 60");
            Assert.Equal(2, cycle.Count);
            Assert.Equal("!BOOT fw=1.0.0-sim reset=POWER state=RUNNING", cycle[0]);
            Assert.Equal("OK", cycle[1]);
            status = Status(port, "STATUS?");
            Assert.Equal("0", Field(status, "t_ms")[..1]); // uptime restarts
            long steps = long.Parse(Field(status, "steps"));
            Assert.InRange(steps, 2560 - 64, 2560); // at most the documented bound (64 steps, 1 uL) is lost
            Assert.Equal("1767229260", Field(status, "unix_s")); // the wall clock ran on while off

            var fault = Request(port, "SIM:FAULT OCCLUSION");
            Assert.Equal("OK", fault[^1]);
            string alarm = port.ReadLine();
            Assert.StartsWith("!ALARM code=OCCLUSION state=RAISED", alarm);
            Assert.StartsWith("ERR 400", Status(port, "SIM:FAULT GREMLINS"));
            Assert.StartsWith("ERR 422", Status(port, "SIM:ADVANCE 999999999"));
        }
        Assert.Equal(0, pumpctl.Terminate(Timeout));

        // The state folder survives the process: starting again on it is a power-on.
        using var again = new PumpctlProcess("sim", "--pty", "--clock", "manual", "--state", _state);
        string path2 = again.ReadStdoutLine(Timeout)[4..];
        using (var port = Open(path2))
        {
            string status = Status(port, "STATUS?");
            Assert.Equal("ALARM", Field(status, "state"));
            Assert.Contains("OCCLUSION", Field(status, "alarms"));
            Assert.StartsWith("OK crc=", Status(port, "PROG?"));
        }
        Assert.Equal(0, again.Terminate(Timeout));
    }

    [Fact]
    public void The_simulated_balance_answers_mt_sics_on_its_own_pty_with_what_the_pump_delivered()
    {
        using var pumpctl = new PumpctlProcess("sim", "--pty", "--clock", "manual", "--balance-pty", "--seed", "3");
        string pumpPath = pumpctl.ReadStdoutLine(Timeout)[4..];
        string second = pumpctl.ReadStdoutLine(Timeout);
        Assert.StartsWith("BALANCE /dev/", second);
        using var pump = Open(pumpPath);
        using var balance = Open(second[8..]);
        balance.Write("SI\r\n");
        Assert.Matches(@"^S S +-?0\.0\d{3} g\r?$", balance.ReadLine()); // an empty pan, within the noise

        Status(pump, "AUTH 0000");
        foreach (string line in new[] { "PROG:NEW", "PROG:DRUG baclofen 500", "PROG:LIMIT 10000", "PROG:STEP 00:00 10000" }) Status(pump, line);
        string review = Status(pump, "PROG:REVIEW");
        Status(pump, "PROG:COMMIT " + review.Substring(7, 4));
        Status(pump, "REFILL 20000");
        Status(pump, "START");
        Assert.StartsWith("OK", Status(pump, "SIM:ADVANCE 86400")); // 20 mL a day: 19.960 g of water on the pan
        balance.Write("SI\r\n");
        string reading = balance.ReadLine().TrimEnd('\r');
        Assert.Matches(@"^S [SD] +\d+\.\d{4} g$", reading);
        double grams = double.Parse(reading[3..^2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(grams, 19.95, 19.97);
        balance.Write("XX\r\n");
        Assert.Equal("ES", balance.ReadLine().TrimEnd('\r'));
        Assert.Equal(0, pumpctl.Terminate(Timeout));
    }

    [Fact]
    public void A_client_that_stops_reading_never_hangs_the_device()
    {
        using var pumpctl = new PumpctlProcess("sim", "--pty", "--clock", "manual");
        string path = pumpctl.ReadStdoutLine(Timeout)[4..];
        using (var port = Open(path))
        {
            // A day of telemetry every second (86400 lines) and nobody reading: the pty fills, the
            // device stops reading requests, drops !TEL lines (never a status line) and carries on.
            port.Write("TEL 1\nSIM:ADVANCE 86400\n");
        }
        Thread.Sleep(1500);
        using (var port = Open(path))
        {
            port.DiscardInBuffer();
            var deadline = DateTime.UtcNow + Timeout;
            port.Write("*IDN?\n");
            string line;
            int before = 0;
            do
            {
                line = port.ReadLine();
                before++;
            }
            while (!line.StartsWith("OK vendor=", StringComparison.Ordinal) && DateTime.UtcNow < deadline);
            Assert.StartsWith("OK vendor=", line);
            // The day's 86400 !TEL lines did not all wait for a reader: those that came while the
            // output was backed up were dropped (their seq shows the gap).
            Assert.True(before < 86_000, $"{before} lines before the answer");
        }
        Assert.Equal(0, pumpctl.Terminate(Timeout));
    }

    [Fact]
    public void Sigterm_ends_a_ten_year_advance_early_and_cleanly()
    {
        using var pumpctl = new PumpctlProcess("sim", "--pty", "--clock", "manual", "--state", _state);
        string path = pumpctl.ReadStdoutLine(Timeout)[4..];
        using var port = Open(path);
        Status(port, "AUTH 0000");
        foreach (string line in new[] { "PROG:NEW", "PROG:DRUG baclofen 500", "PROG:LIMIT 500", "PROG:STEP 00:00 480" }) Status(port, line);
        string review = Status(port, "PROG:REVIEW");
        Status(port, "PROG:COMMIT " + review.Substring(7, 4));
        Status(port, "REFILL 20000");
        Status(port, "START");
        Status(port, "TEL 1"); // a line a second keeps the device busy even once the reservoir is empty
        port.Write("SIM:ADVANCE 315576000\n"); // ten years: far longer than this test waits
        Thread.Sleep(1000);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, pumpctl.Terminate(Timeout));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Stdio_mode_serves_the_protocol_on_stdin_and_stdout_and_ends_with_its_input()
    {
        using var pumpctl = new PumpctlProcess("sim", "--stdio", "--clock", "manual");
        Assert.StartsWith("!BOOT fw=", pumpctl.ReadStdoutLine(Timeout));
        pumpctl.Process.StandardInput.Write("*IDN?\nSIM:ADVANCE 10\n");
        pumpctl.Process.StandardInput.Close();
        Assert.EndsWith("proto=1", pumpctl.ReadStdoutLine(Timeout));
        Assert.Equal("OK t_ms=10000", pumpctl.ReadStdoutLine(Timeout));
        Assert.True(pumpctl.Process.WaitForExit(Timeout));
        Assert.Equal(0, pumpctl.Process.ExitCode);
    }

    [Fact]
    public void Usage_errors_exit_2_with_a_message()
    {
        using var pumpctl = new PumpctlProcess("sim", "--clock", "sideways");
        Assert.True(pumpctl.Process.WaitForExit(Timeout));
        Assert.Equal(2, pumpctl.Process.ExitCode);
        Assert.Contains("--clock 'sideways' is not accepted; expected one of real, manual", pumpctl.Process.StandardError.ReadToEnd());
    }
}
