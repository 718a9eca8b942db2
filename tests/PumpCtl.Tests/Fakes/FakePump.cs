// A scripted pump behind a fake port, on the fake clock: it answers TEL/STATUS?, emits !TEL
// every period with a seq that counts on while nobody listens, and can be unplugged (the
// port throws and cannot be reopened for a while) or reset (!BOOT, telemetry off, seq from 1).
using System.Globalization;
using PumpCtl.Serial;

namespace PumpCtl.Tests.Fakes;

public sealed class FakePump : ISerialLineOpener
{
    private readonly FakeHostClock _clock;
    private readonly Queue<string> _out = new();
    private int _period;
    private DateTime _nextTel;
    private long _seq;

    public FakePump(FakeHostClock clock) => _clock = clock;

    public List<string> Received { get; } = new();

    /// <summary>Volume per second, µL (delivered_ul grows linearly).</summary>
    public double RateUlPerSecond { get; set; } = 0.01;

    public DateTime? UnplugFrom { get; set; }
    public DateTime? UnplugUntil { get; set; }
    public DateTime? ResetAt { get; set; }
    public int Opens { get; private set; }
    public int FailedOpens { get; private set; }

    /// <summary>Answer TEL with this status line instead of OK (e.g. "ERR 422 ...").</summary>
    public string? TelAnswer { get; set; }

    private bool Unplugged => UnplugFrom is DateTime a && UnplugUntil is DateTime b && _clock.UtcNow >= a && _clock.UtcNow < b;

    // Lines the device sent while nobody was reading (the port unplugged, the host asleep in
    // its back-off) are gone, but they used up their seq numbers.
    private void CatchUp()
    {
        while (_period > 0 && _nextTel <= _clock.UtcNow)
        {
            _seq++;
            _nextTel += TimeSpan.FromSeconds(_period);
        }
    }

    public ISerialLine Open(string portName)
    {
        CatchUp();
        if (portName != "/dev/fakepump" || Unplugged)
        {
            FailedOpens++;
            throw new IOException($"cannot open {portName}: No such file or directory");
        }
        Opens++;
        return new Line(this, portName);
    }

    private string Tel()
    {
        double t = (_clock.UtcNow - new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds;
        string v = (t * RateUlPerSecond).ToString("0.000", CultureInfo.InvariantCulture);
        return $"!TEL seq={++_seq} t_ms={(long)(t * 1000)} unix_s={1767225600 + (long)t} state=RUNNING delivered_ul={v} steps={(long)(t * 10)} " +
            $"reservoir_ul=20000.000 rate_ul_day=864.000 alarms=NONE";
    }

    // Runs the device up to `until`: telemetry lines emitted while nobody can hear them still
    // consume seq numbers, exactly like a real pump behind a pulled cable.
    private string? RunUntil(DateTime until)
    {
        if (ResetAt is DateTime reset && reset <= until)
        {
            ResetAt = null;
            _clock.Advance(reset > _clock.UtcNow ? reset - _clock.UtcNow : TimeSpan.Zero);
            _period = 0;
            _seq = 0;
            return "!BOOT fw=fake reset=POWER state=RUNNING";
        }
        while (_period > 0 && _nextTel <= until)
        {
            _clock.Advance(_nextTel > _clock.UtcNow ? _nextTel - _clock.UtcNow : TimeSpan.Zero);
            _nextTel += TimeSpan.FromSeconds(_period);
            string line = Tel();
            if (!Unplugged)
            {
                return line;
            }
        }
        if (until > _clock.UtcNow)
        {
            _clock.Advance(until - _clock.UtcNow);
        }
        return null;
    }

    private sealed class Line : ISerialLine
    {
        private readonly FakePump _pump;

        public Line(FakePump pump, string name)
        {
            _pump = pump;
            Name = name;
        }

        public string Name { get; }

        public void WriteLine(string line)
        {
            if (_pump.Unplugged)
            {
                throw new IOException($"{Name}: device not configured");
            }
            _pump.CatchUp();
            _pump.Received.Add(line);
            string[] w = line.Split(' ');
            if (w[0] == "TEL")
            {
                if (_pump.TelAnswer != null)
                {
                    _pump._out.Enqueue(_pump.TelAnswer);
                    return;
                }
                _pump._period = int.Parse(w[1], CultureInfo.InvariantCulture);
                _pump._nextTel = _pump._clock.UtcNow + TimeSpan.FromSeconds(_pump._period);
                _pump._out.Enqueue("OK");
            }
            else if (w[0] == "SIM:ADVANCE")
            {
                DateTime until = _pump._clock.UtcNow + TimeSpan.FromSeconds(int.Parse(w[1], CultureInfo.InvariantCulture));
                while (_pump.RunUntil(until) is string emitted)
                {
                    _pump._out.Enqueue(emitted);
                }
                _pump._out.Enqueue("OK");
            }
            else
            {
                _pump._out.Enqueue("ERR 400 unknown command");
            }
        }

        public string? ReadLine(TimeSpan timeout)
        {
            if (_pump.Unplugged)
            {
                throw new IOException($"{Name}: device not configured");
            }
            if (_pump._out.Count > 0)
            {
                return _pump._out.Dequeue();
            }
            string? line = _pump.RunUntil(_pump._clock.UtcNow + timeout);
            if (line == null && _pump.Unplugged)
            {
                throw new IOException($"{Name}: device not configured");
            }
            return line;
        }

        public void Dispose()
        {
        }
    }
}
