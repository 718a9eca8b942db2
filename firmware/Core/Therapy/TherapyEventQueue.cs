// The controller's outbox: a fixed ring of preallocated events. When the application does not
// drain it in time the oldest event is overwritten and counted, never an allocation or a throw.
namespace PumpFirmware.Therapy
{
    /// <summary>Fixed-capacity FIFO of <see cref="TherapyEvent"/>s.</summary>
    public sealed class TherapyEventQueue
    {
        private readonly TherapyEvent[] _items;
        private int _head;
        private int _count;
        private long _dropped;

        /// <summary>A queue of <paramref name="capacity"/> preallocated events.</summary>
        public TherapyEventQueue(int capacity)
        {
            _items = new TherapyEvent[capacity];
            for (int i = 0; i < capacity; i++) _items[i] = new TherapyEvent();
        }

        /// <summary>Events waiting.</summary>
        public int Count { get { return _count; } }

        /// <summary>Events overwritten because the queue was full.</summary>
        public long Dropped { get { return _dropped; } }

        /// <summary>Appends an event (overwriting the oldest when full).</summary>
        public void Push(TherapyEventKind kind, long timelineMicros, int code, long value1, long value2)
        {
            if (_count == _items.Length)
            {
                _head = (_head + 1) % _items.Length;
                _count--;
                _dropped++;
            }
            TherapyEvent e = _items[(_head + _count) % _items.Length];
            e.Kind = kind;
            e.TimelineMicros = timelineMicros;
            e.Code = code;
            e.Value1 = value1;
            e.Value2 = value2;
            _count++;
        }

        /// <summary>Copies the oldest event into <paramref name="destination"/> and removes it.</summary>
        public bool TryTake(TherapyEvent destination)
        {
            if (_count == 0) return false;
            destination.CopyFrom(_items[_head]);
            _head = (_head + 1) % _items.Length;
            _count--;
            return true;
        }

        /// <summary>Drops every waiting event (not counted in <see cref="Dropped"/>: they are withdrawn, not lost).</summary>
        public void Clear()
        {
            _head = 0;
            _count = 0;
        }
    }
}
