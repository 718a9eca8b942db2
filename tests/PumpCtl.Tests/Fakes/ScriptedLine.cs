// A port that answers each written line from a table, for the client, the script runner
// and the balance: simple request/response without time.
using PumpCtl.Serial;

namespace PumpCtl.Tests.Fakes;

public sealed class ScriptedLine : ISerialLine, ISerialLineOpener
{
    private readonly Func<string, IEnumerable<string>> _answer;
    private readonly Queue<string> _out = new();

    public ScriptedLine(Func<string, IEnumerable<string>> answer) => _answer = answer;

    public string Name => "/dev/fake";

    public List<string> Written { get; } = new();

    public bool Broken { get; set; }

    public void WriteLine(string line)
    {
        if (Broken)
        {
            throw new IOException("/dev/fake: gone");
        }
        Written.Add(line);
        foreach (string reply in _answer(line))
        {
            _out.Enqueue(reply);
        }
    }

    public string? ReadLine(TimeSpan timeout) => _out.Count > 0 ? _out.Dequeue() : null;

    public ISerialLine Open(string portName) => this;

    public void Dispose()
    {
    }
}
