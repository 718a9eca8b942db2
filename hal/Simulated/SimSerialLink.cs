// The protocol's byte stream in memory: the firmware sees the ISerialLink end, the host (a pty
// pump, stdio, a scenario, a test) the other end. Both directions are bounded queues; like a
// UART's transmit buffer, bytes that do not fit are dropped and counted, never block.
namespace PumpFirmware.Hal.Simulated;

/// <summary>The device end of an in-memory serial link, with its host end as methods.</summary>
public sealed class SimSerialLink : ISerialLink
{
    private readonly ByteQueue _toDevice;
    private readonly ByteQueue _toHost;

    /// <summary>Creates a link with the given queue capacities (bytes).</summary>
    public SimSerialLink(int toDeviceCapacity = 64 * 1024, int toHostCapacity = 4 * 1024 * 1024)
    {
        _toDevice = new ByteQueue(toDeviceCapacity);
        _toHost = new ByteQueue(toHostCapacity);
    }

    /// <summary>Bytes the device sent that did not fit the host queue.</summary>
    public long DroppedToHost => _toHost.Dropped;

    /// <summary>Bytes the host sent that did not fit the device queue.</summary>
    public long DroppedToDevice => _toDevice.Dropped;

    /// <summary>Bytes waiting for the device to read.</summary>
    public int PendingToDevice => _toDevice.Count;

    /// <summary>Bytes waiting for the host to read.</summary>
    public int PendingToHost => _toHost.Count;

    // ---- device end ----

    /// <inheritdoc/>
    public int Read(byte[] buffer, int offset, int count)
    {
        int n = _toDevice.Dequeue(buffer, offset, count);
        if (n > 0) DeviceBytesRead += n;
        return n;
    }

    /// <inheritdoc/>
    public void Write(byte[] buffer, int offset, int count)
    {
        DeviceBytesWritten += count;
        _toHost.Enqueue(buffer, offset, count);
    }

    /// <summary>Bytes the device read since construction (the simulated battery charges them).</summary>
    public long DeviceBytesRead { get; private set; }

    /// <summary>Bytes the device wrote since construction, dropped ones included.</summary>
    public long DeviceBytesWritten { get; private set; }

    // ---- host end ----

    /// <summary>The host sends bytes to the device.</summary>
    public void HostWrite(ReadOnlySpan<byte> bytes) => _toDevice.Enqueue(bytes);

    /// <summary>The host reads what the device sent (up to buffer.Length bytes).</summary>
    public int HostRead(byte[] buffer, int offset, int count) => _toHost.Dequeue(buffer, offset, count);

    /// <summary>A power loss: whatever was in flight in either direction is lost.</summary>
    public void PowerLoss()
    {
        _toDevice.Clear();
        _toHost.Clear();
    }

    private sealed class ByteQueue
    {
        private readonly byte[] _ring;
        private int _head;

        public ByteQueue(int capacity) => _ring = new byte[capacity];

        public int Count { get; private set; }

        public long Dropped { get; private set; }

        public void Clear()
        {
            _head = 0;
            Count = 0;
        }

        public void Enqueue(byte[] buffer, int offset, int count) => Enqueue(buffer.AsSpan(offset, count));

        // Whole spans at a time (at most two pieces of the ring), not byte by byte: at TEL 1 a simulated year
        // moves gigabytes through here.
        public void Enqueue(ReadOnlySpan<byte> bytes)
        {
            int room = _ring.Length - Count;
            if (bytes.Length > room)
            {
                Dropped += bytes.Length - room;
                bytes = bytes.Slice(0, room);
            }
            int tail = (_head + Count) % _ring.Length;
            int first = Math.Min(bytes.Length, _ring.Length - tail);
            bytes.Slice(0, first).CopyTo(_ring.AsSpan(tail));
            bytes.Slice(first).CopyTo(_ring);
            Count += bytes.Length;
        }

        public int Dequeue(byte[] buffer, int offset, int count)
        {
            if (Count == 0) return 0; // the common case: a host polls after every wake
            int n = Math.Min(count, Count);
            int first = Math.Min(n, _ring.Length - _head);
            _ring.AsSpan(_head, first).CopyTo(buffer.AsSpan(offset));
            _ring.AsSpan(0, n - first).CopyTo(buffer.AsSpan(offset + first));
            _head = (_head + n) % _ring.Length;
            Count -= n;
            return n;
        }
    }
}
