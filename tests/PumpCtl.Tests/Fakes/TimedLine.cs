// A port whose device answers on a real clock: each written line schedules replies at
// offsets from the moment it was written, and lines can be queued before anything is written
// (what an earlier session left behind). For the timing rules of PumpClient.
using PumpCtl.Serial;

namespace PumpCtl.Tests.Fakes;

public sealed class TimedLine : ISerialLine
{
    private readonly Func<string, IEnumerable<(TimeSpan After, string Line)>> _answer;
    private readonly List<(DateTime Due, string Line)> _pending = new();

    public TimedLine(Func<string, IEnumerable<(TimeSpan After, string Line)>> answer) => _answer = answer;

    public string Name => "/dev/timed";

    public List<string> Written { get; } = new();

    /// <summary>Queues <paramref name="line"/> as already sent by the device.</summary>
    public void Leftover(string line)
    {
        lock (_pending)
        {
            _pending.Add((DateTime.UtcNow, line));
        }
    }

    public void WriteLine(string line)
    {
        lock (_pending)
        {
            Written.Add(line);
            DateTime now = DateTime.UtcNow;
            foreach (var (after, reply) in _answer(line))
            {
                _pending.Add((now + after, reply));
            }
            _pending.Sort((a, b) => a.Due.CompareTo(b.Due));
        }
    }

    public string? ReadLine(TimeSpan timeout)
    {
        // Polls in small slices so a line written meanwhile (another thread) is seen in time.
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_pending)
            {
                if (_pending.Count > 0 && _pending[0].Due <= DateTime.UtcNow)
                {
                    string line = _pending[0].Line;
                    _pending.RemoveAt(0);
                    return line;
                }
            }
            if (DateTime.UtcNow >= deadline)
            {
                return null;
            }
            Thread.Sleep(5);
        }
    }

    public void Dispose()
    {
    }
}
