using PumpFirmware.App;
using PumpFirmware.Fakes;
using PumpFirmware.Hal;

namespace PumpFirmware.Benchmarks.Micro;

/// <summary>The firmware application on minimal allocation-free fakes, RUNNING a 3-step baclofen
/// program with a session open: what the protocol micro-benchmarks drive.</summary>
internal sealed class BenchDevice
{
    public readonly BenchLink Link = new();
    public readonly ManualClock Clock = new();
    public readonly PumpApplication App;

    public BenchDevice()
    {
        var steps = new InstantSteps();
        App = new PumpApplication(new PumpHardware
        {
            Serial = Link, Clock = Clock, OffTimeClock = new BenchOffClock(), Driver = new InstantDriver(), Steps = steps,
            Feedback = steps, Occlusion = new BenchInput(), LowBattery = new BenchInput(), Buzzer = new SilentBuzzer(),
            Watchdog = new NullWatchdog(), MaxStepsPerSecond = 1000,
        }, new DeviceIdentity("PumpFirmware", "PF-BENCH", "B0001", "bench"));
        App.Boot(ResetCause.Power, 0);
        foreach (string line in new[] { "AUTH 0000", "TIME 1767225600", "PROG:DRUG baclofen 500", "PROG:LIMIT 400",
                     "PROG:STEP 00:00 100", "PROG:STEP 08:00 200", "PROG:STEP 20:00 150", "PROG:PTM 10 5 60 4",
                     "PROG:CATHETER 150" })
            Expect(line);
        string review = Send("PROG:REVIEW");
        Expect("PROG:COMMIT " + review.Substring("OK crc=".Length, 4));
        Expect("REFILL 20000");
        Expect("START");
    }

    /// <summary>The bytes of a request line (LF appended), made once so that sending it allocates nothing.</summary>
    public static byte[] Request(string line) => System.Text.Encoding.ASCII.GetBytes(line + "\n");

    /// <summary>Feeds a prepared request and runs the main loop's Poll (assemble, parse, execute, reply).</summary>
    public void Poll(byte[] request)
    {
        Link.Feed(request);
        App.Poll();
    }

    public string Send(string line)
    {
        Link.Capture = true;
        Poll(Request(line));
        Link.Capture = false;
        string text = Link.Captured.ToString();
        Link.Captured.Clear();
        string? status = null;
        foreach (string l in text.Split('\n')) if (l.Length > 0 && !l.StartsWith('!')) status = l.TrimEnd('\r');
        return status ?? "";
    }

    public void Expect(string line)
    {
        string status = Send(line);
        if (!status.StartsWith("OK")) throw new InvalidOperationException("setup: '" + line + "' answered " + status);
    }
}

internal sealed class BenchLink : ISerialLink
{
    private byte[] _in = Array.Empty<byte>();
    private int _pos;
    public long BytesSent;
    public long Writes;
    public bool Capture;
    public readonly System.Text.StringBuilder Captured = new();
    public void Feed(byte[] bytes) { _in = bytes; _pos = 0; }
    public int Read(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(count, _in.Length - _pos);
        Array.Copy(_in, _pos, buffer, offset, n);
        _pos += n;
        return n;
    }
    public void Write(byte[] buffer, int offset, int count)
    {
        BytesSent += count;
        Writes++;
        if (Capture) Captured.Append(System.Text.Encoding.ASCII.GetString(buffer, offset, count));
    }
}

internal sealed class BenchOffClock : IOffTimeClock { public bool TryReadSeconds(out long seconds) { seconds = 0; return false; } }
internal sealed class BenchInput : IDigitalInput { public bool IsAsserted => false; }
