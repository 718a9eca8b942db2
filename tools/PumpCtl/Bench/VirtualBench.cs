// `pumpctl bench ... --sim`: a virtual device in this process (the same VirtualPump that
// `pumpctl sim` serves on a pty), reached through the two ISerialLine seams the procedures use
// for a rig: the pump's protocol and the balance's MT-SICS. Time moves only by SIM:ADVANCE
// (manual clock), so an hours-long occlusion test takes seconds and is the same every run.
using PumpCtl.Serial;
using PumpFirmware.VirtualDevice.Device;

namespace PumpCtl.Bench;

/// <summary>An in-process virtual pump with its simulated balance.</summary>
public sealed class VirtualBench
{
    private readonly Queue<string> _pumpLines = new();
    private readonly System.Text.StringBuilder _partial = new();
    private readonly byte[] _buffer = new byte[4096];

    /// <summary>Builds and powers on a virtual pump with <paramref name="options"/> (its clock is manual).</summary>
    public VirtualBench(VirtualPumpOptions options)
    {
        options.Clock = PumpFirmware.Hal.Simulated.ClockMode.Manual;
        Pump = new VirtualPump(options);
        Pump.AfterService = Drain;
        Pump.PowerOn();
        _pumpLines.Clear(); // the !BOOT line: a client that opens a port later never sees it either
        PumpLine = new Line("virtual-pump", this, isBalance: false);
        BalanceLine = new Line("virtual-balance", this, isBalance: true);
    }

    /// <summary>The virtual pump.</summary>
    public VirtualPump Pump { get; }

    /// <summary>The pump's protocol.</summary>
    public ISerialLine PumpLine { get; }

    /// <summary>The balance's MT-SICS.</summary>
    public ISerialLine BalanceLine { get; }

    private void Drain()
    {
        int n;
        while ((n = Pump.Link.HostRead(_buffer, 0, _buffer.Length)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                if (_buffer[i] == '\n')
                {
                    _pumpLines.Enqueue(_partial.ToString().TrimEnd('\r'));
                    _partial.Clear();
                }
                else
                {
                    _partial.Append((char)_buffer[i]);
                }
            }
        }
    }

    private sealed class Line(string name, VirtualBench bench, bool isBalance) : ISerialLine
    {
        private readonly Queue<string> _balanceReplies = new();

        public string Name => name;

        public void WriteLine(string line)
        {
            if (isBalance)
            {
                _balanceReplies.Enqueue(bench.Pump.Balance.Respond(line));
                return;
            }
            bench.Pump.Send(line);
            bench.Pump.Poll();
        }

        public string? ReadLine(TimeSpan timeout)
        {
            Queue<string> queue = isBalance ? _balanceReplies : bench._pumpLines;
            if (queue.Count == 0 && !isBalance)
            {
                bench.Pump.Poll();
            }
            return queue.Count > 0 ? queue.Dequeue() : null;
        }

        public void Dispose()
        {
        }
    }
}
