// Why this exists: nanoFramework's ESP32 serial port has no transmit buffer. Write puts what
// fits into the 128-byte hardware FIFO and hands the rest to a worker task that sends it
// straight from the caller's managed array while the caller waits up to WriteTimeout; on a
// timeout the caller gets an exception but the worker keeps sending from that same array
// (nf-interpreter targets/ESP32/_nanoCLR/System.IO.Ports/sys_io_ser_native_System_IO_Ports_
// SerialPort.cpp:767-805, :833-836, :946-955; the managed WriteBufferSize only sets the one
// buffer-size field that becomes the RECEIVE ring, SerialPort.cs:539-559). A long reply would
// hold the main loop for as long as it takes to send, and a reply that timed out would go on
// reading the line writer's buffer while the next line is built in it: interleaved lines.
// So the link keeps its own transmit queue in managed memory and gives the port only chunks
// that fit the FIFO's free space, estimated from the time and the baud rate (with a margin),
// so that Write returns at once; the chunk array is never reused while a send could still be
// reading it. This class is the queue and the estimate; it touches no port.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>A byte ring plus an estimate of the UART FIFO's fill level.</summary>
    public sealed class UartTxQueue
    {
        /// <summary>ESP32 UART hardware FIFO, bytes (SOC_UART_FIFO_LEN).</summary>
        public const int FifoBytes = 128;

        /// <summary>The part of the FIFO the estimate may fill, bytes (a margin for clock error).</summary>
        public const int UsableFifoBytes = 112;

        private readonly byte[] _ring;
        private readonly long _byteMicros;
        private int _head;
        private int _count;
        private long _fifoEmptyAtMicros;
        private long _droppedBytes;

        /// <summary>Creates the queue.</summary>
        /// <param name="capacityBytes">Bytes the queue holds (1 or more).</param>
        /// <param name="baudRate">Line rate, bit/s; a byte takes 10 bits (8N1).</param>
        public UartTxQueue(int capacityBytes, int baudRate)
        {
            if (capacityBytes < 1)
            {
                throw new System.ArgumentOutOfRangeException("capacityBytes");
            }

            if (baudRate < 300)
            {
                throw new System.ArgumentOutOfRangeException("baudRate");
            }

            _ring = new byte[capacityBytes];

            // Rounded up and 10 % slower than nominal: the estimate never thinks the FIFO has
            // drained before it has.
            _byteMicros = ((10L * 1000000L * 11L) / (baudRate * 10L)) + 1;
        }

        /// <summary>Bytes waiting in the queue.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Bytes refused because the queue was full (whole writes).</summary>
        public long DroppedBytes
        {
            get { return _droppedBytes; }
        }

        /// <summary>Queues a whole write, or refuses it whole (counted) when it does not fit.</summary>
        /// <returns>false when refused.</returns>
        public bool Enqueue(byte[] buffer, int offset, int count)
        {
            if (count <= 0)
            {
                return true;
            }

            if (count > _ring.Length - _count)
            {
                _droppedBytes += count;
                return false;
            }

            int tail = (_head + _count) % _ring.Length;
            for (int i = 0; i < count; i++)
            {
                _ring[tail] = buffer[offset + i];
                tail++;
                if (tail == _ring.Length)
                {
                    tail = 0;
                }
            }

            _count += count;
            return true;
        }

        /// <summary>How many bytes may be handed to the port now without waiting for FIFO room.</summary>
        public int FreeFifoBytes(long nowMicros)
        {
            long queued = _fifoEmptyAtMicros > nowMicros ? ((_fifoEmptyAtMicros - nowMicros) + _byteMicros - 1) / _byteMicros : 0;
            long free = UsableFifoBytes - queued;
            return free > 0 ? (int)free : 0;
        }

        /// <summary>Copies up to <paramref name="max"/> queued bytes into <paramref name="chunk"/>
        /// (at most what the FIFO has room for now) and counts them as handed to the FIFO.</summary>
        /// <returns>The number of bytes copied; 0 when nothing is queued or the FIFO is full.</returns>
        public int TakeChunk(byte[] chunk, int max, long nowMicros)
        {
            int n = FreeFifoBytes(nowMicros);
            if (n > max)
            {
                n = max;
            }

            if (n > chunk.Length)
            {
                n = chunk.Length;
            }

            if (n > _count)
            {
                n = _count;
            }

            for (int i = 0; i < n; i++)
            {
                chunk[i] = _ring[_head];
                _head++;
                if (_head == _ring.Length)
                {
                    _head = 0;
                }
            }

            _count -= n;
            long start = _fifoEmptyAtMicros > nowMicros ? _fifoEmptyAtMicros : nowMicros;
            _fifoEmptyAtMicros = start + (n * _byteMicros);
            return n;
        }
    }
}
