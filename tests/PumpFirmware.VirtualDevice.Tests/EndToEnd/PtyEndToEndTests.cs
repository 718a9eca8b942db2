using System.IO.Ports;
using PumpFirmware.VirtualDevice.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace PumpFirmware.VirtualDevice.Tests.EndToEnd;

/// <summary>`pumpctl sim --pty` driven through System.IO.Ports, as a researcher's program would drive the pump.</summary>
public class PtyEndToEndTests(ITestOutputHelper output) : IDisposable
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

    /// <summary>Authenticates, stages a new program of <paramref name="program"/>, commits it as reviewed, fills the
    /// reservoir and starts; every request answered OK.</summary>
    private static void ProgramAndStart(SerialPort port, params string[] program)
    {
        Assert.StartsWith("OK", Status(port, "AUTH 0000"));
        foreach (string line in program.Prepend("PROG:NEW")) Assert.Equal("OK", Status(port, line));
        string review = Status(port, "PROG:REVIEW");
        Assert.StartsWith("OK crc=", review);
        Assert.StartsWith("OK", Status(port, "PROG:COMMIT " + review.Substring(7, 4)));
        Assert.Equal("OK", Status(port, "REFILL 20000"));
        Assert.Equal("OK", Status(port, "START"));
    }

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

        ProgramAndStart(pump, "PROG:DRUG baclofen 500", "PROG:LIMIT 10000", "PROG:STEP 00:00 10000");
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

    // The pty's own buffers (Linux: at most 64 KiB in the tty layer and 4 KiB in the line discipline), with room to spare.
    private const int PtyBufferAllowanceBytes = 128 * 1024;

    [Fact]
    public void A_client_that_stops_reading_never_hangs_the_device()
    {
        using var pumpctl = new PumpctlProcess("sim", "--pty", "--clock", "manual", "--balance-pty");
        string path = pumpctl.ReadStdoutLine(Timeout)[4..];
        string balancePath = pumpctl.ReadStdoutLine(Timeout)[8..];
        using var port = Open(path);
        using var balance = Open(balancePath);
        // Only hang guards, far beyond any machine's load: nothing here is timed.
        port.ReadTimeout = balance.ReadTimeout = 600_000;
        ProgramAndStart(port, "PROG:DRUG baclofen 500", "PROG:LIMIT 10000", "PROG:STEP 00:00 5000"); // 10 mL a day onto the balance
        var telemetry = new List<long>();                        // the seq of every !TEL line the client reads
        CollectUntilStatus(port, "TEL 1", telemetry);

        // A day of telemetry every second (86,400 !TEL lines, about 8 MB) and the client reads none of it. The device
        // must not wait for it: it runs the whole day, keeps the status line and drops !TEL lines beyond what it queues.
        port.Write("SIM:ADVANCE 86400\n");
        // Observed, not slept for: the balance reads the plant under the pump's lock, which a request holds until it
        // is answered, so its answer comes once the day is done; the mass says the day was delivered (a reading taken
        // before the device even read the request shows an empty pan, and is asked again).
        double grams;
        do
        {
            balance.Write("SI\r\n");
            grams = Grams(balance.ReadLine());
        }
        while (grams < 9.0);

        // Now the client reads: what waited for it is bounded by the device's queue and the pty, and the day's status
        // line is among it (only !TEL lines are ever dropped).
        int before = telemetry.Count;
        long bytes = CollectUntilStatus(port, null, telemetry, expectStatus: "OK t_ms=86400000");
        int arrived = telemetry.Count - before;
        Assert.True(bytes <= DeviceServer.OutputHighWaterBytes + PtyBufferAllowanceBytes,
            $"{bytes} bytes were queued for a client that did not read");
        // The device reads requests again once the client reads.
        Assert.StartsWith("OK vendor=", Status(port, "*IDN?"));
        // One more second: its !TEL line's seq counts the day's lines (from the first, which came before the output
        // backed up), all made, and so the ones dropped.
        CollectUntilStatus(port, "SIM:ADVANCE 1", telemetry, expectStatus: "OK t_ms=86401000");
        for (int i = 1; i < telemetry.Count; i++) Assert.True(telemetry[i] > telemetry[i - 1], "!TEL lines out of order");
        long madeInTheDay = telemetry[^1] - telemetry[before];
        long dropped = madeInTheDay - arrived;
        output.WriteLine($"the day made {madeInTheDay} !TEL lines: {arrived} arrived ({bytes} bytes waited for the client), {dropped} dropped; balance {grams} g");
        Assert.Equal(86_400, madeInTheDay);
        Assert.True(dropped > 80_000, $"{arrived} !TEL lines of the day arrived, {dropped} were dropped");
        balance.Write("SI\r\n");
        double after = Grams(balance.ReadLine());
        Assert.InRange(grams, after - 0.01, after + 0.01);       // the first reading was taken after the day
        Assert.Equal(0, pumpctl.Terminate(Timeout));
    }

    // Sends request (if any) and reads up to its status line (asserted if given), adding each !TEL line's seq;
    // returns the bytes read.
    private static long CollectUntilStatus(SerialPort port, string? request, List<long> telemetry, string? expectStatus = null)
    {
        if (request != null) port.Write(request + "\n");
        long bytes = 0;
        while (true)
        {
            string line = port.ReadLine();
            bytes += line.Length + 1;
            if (line.StartsWith("!TEL seq=", StringComparison.Ordinal)) telemetry.Add(long.Parse(Field(line, "seq")));
            if (line.StartsWith('!')) continue;
            if (expectStatus != null) Assert.Equal(expectStatus, line);
            return bytes;
        }
    }

    private static double Grams(string reading)
    {
        reading = reading.TrimEnd('\r');
        Assert.Matches(@"^S [SD] +-?\d+\.\d{4} g$", reading);
        return double.Parse(reading[3..^2], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Sigterm_ends_a_ten_year_advance_early_and_cleanly()
    {
        using var pumpctl = new PumpctlProcess("sim", "--pty", "--clock", "manual", "--state", _state);
        string path = pumpctl.ReadStdoutLine(Timeout)[4..];
        using var port = Open(path);
        ProgramAndStart(port, "PROG:DRUG baclofen 500", "PROG:LIMIT 500", "PROG:STEP 00:00 480");
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
