// Model of nanoFramework.System.IO.Ports 1.1.139 over nf-interpreter's ESP32 UART natives
// (targets/ESP32/_nanoCLR/System.IO.Ports/sys_io_ser_native_System_IO_Ports_SerialPort.cpp,
// "SerialPort.cpp" below).
//  - ReadBufferSize and WriteBufferSize are one field, _bufferSize (SerialPort.cs:52, :499-519,
//    :539-559): the last one set wins, and Open allocates that many bytes as the RECEIVE ring
//    (SerialPort.cpp:919-937); the UART driver is installed with no transmit buffer
//    (SerialPort.cpp:946-955, tx_buffer_size 0).
//  - Write first puts what fits into the 128-byte hardware FIFO (uart_tx_chars, SerialPort.cpp:
//    767-780). If not all of it fits, a worker task writes the rest with uart_write_bytes
//    straight from the managed array (SerialPort.cpp:258-275, :795-801) while the caller waits
//    up to WriteTimeout (:784-787, :809-836). On timeout the caller gets an exception, but the
//    worker goes on sending from the same array: whatever managed code puts into that array
//    next is what goes out on the wire.
//  - The UART interrupt is installed in IRAM (SerialPort.cpp:955): the FIFO keeps draining and
//    filling during flash writes.
using System;
using PumpFirmware.Esp32.NativeModel;

namespace System.IO.Ports
{
    public enum Parity
    {
        None = 0,
        Odd = 1,
        Even = 2,
    }

    public enum StopBits
    {
        One = 1,
        Two = 2,
        OnePointFive = 3,
    }

    public sealed class SerialPort : IDisposable
    {
        private readonly string _portName;
        private readonly int _baudRate;
        private int _bufferSize = 256;
        private int _readTimeout = -1;
        private int _writeTimeout = -1;
        private bool _opened;

        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One)
        {
            _portName = portName;
            _baudRate = baudRate;
        }

        public void Open()
        {
            NativeBoard.UartOpen(_portName, _baudRate, _bufferSize);
            _opened = true;
        }

        public void Close()
        {
            _opened = false;
        }

        public bool IsOpen { get { return _opened; } }

        public int ReadTimeout { get { return _readTimeout; } set { _readTimeout = value; } }

        public int WriteTimeout { get { return _writeTimeout; } set { _writeTimeout = value; } }

        public int BytesToRead { get { return NativeBoard.UartBytesToRead(); } }

        public int ReadBufferSize
        {
            get { return _bufferSize; }
            set { SetBufferSize(value); }
        }

        public int WriteBufferSize
        {
            get { return _bufferSize; }
            set { SetBufferSize(value); }
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            return NativeBoard.UartRead(buffer, offset, count);
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException("buffer");
            }

            if (offset + count > buffer.Length)
            {
                throw new ArgumentException("count");
            }

            NativeBoard.UartWrite(buffer, offset, count, _writeTimeout);
        }

        public void Dispose()
        {
            _opened = false;
        }

        private void SetBufferSize(int value)
        {
            if (value <= 0)
            {
                throw new ArgumentOutOfRangeException();
            }

            if (_opened)
            {
                throw new InvalidOperationException();
            }

            _bufferSize = value;
        }
    }
}

namespace PumpFirmware.Esp32.NativeModel
{
    using System.Collections.Generic;
    using System.Text;

    public static partial class NativeBoard
    {
        /// <summary>ESP32 UART hardware FIFO (SOC_UART_FIFO_LEN).</summary>
        public const int UartFifoBytes = 128;

        private static long s_uartByteMicrosTimes1000;
        private static int s_uartRxRing;
        private static readonly Queue<byte> s_uartRx = new Queue<byte>();
        private static readonly StringBuilder s_uartWire = new StringBuilder();
        private static readonly List<(byte B, long Done)> s_uartFifo = new List<(byte, long)>();
        private static long s_uartLastDone;
        private sealed class TxJob
        {
            public byte[] Array;
            public int Offset;
            public int Remaining;
        }

        // The TX worker task: one uart_write_bytes at a time, each reading its managed array as
        // it goes; a later long-running Write queues behind it (the StartTx semaphore).
        private static readonly Queue<TxJob> s_workerJobs = new Queue<TxJob>();

        /// <summary>Bytes the RX ring held when Open allocated it.</summary>
        public static int UartRxRingBytes { get { lock (Sync) { return s_uartRxRing; } } }

        /// <summary>Longest time one SerialPort.Write held its caller, µs.</summary>
        public static long UartLongestWriteMicros { get; private set; }

        /// <summary>Bytes received by the host's end since the board's reset.</summary>
        public static string UartHostReceived()
        {
            lock (Sync)
            {
                SettleUart();
                return s_uartWire.ToString();
            }
        }

        /// <summary>The host sends bytes to the ESP32's RX pin.</summary>
        public static void UartHostSend(string text)
        {
            lock (Sync)
            {
                foreach (char c in text)
                {
                    if (s_uartRx.Count < s_uartRxRing)
                    {
                        s_uartRx.Enqueue((byte)c);
                    }
                }
            }
        }

        private static void ResetUart()
        {
            s_uartByteMicrosTimes1000 = 0;
            s_uartRxRing = 0;
            s_uartRx.Clear();
            s_uartWire.Clear();
            s_uartFifo.Clear();
            s_uartLastDone = 0;
            s_workerJobs.Clear();
            UartLongestWriteMicros = 0;
        }

        internal static void UartOpen(string port, int baud, int bufferSize)
        {
            lock (Sync)
            {
                if (FunctionPin(0x00030200) < 0 || FunctionPin(0x00030201) < 0)
                {
                    throw new InvalidOperationException("model: COM2 pins not assigned");
                }

                // SerialPort.cpp:922-926: at least the FIFO size plus one.
                s_uartRxRing = bufferSize <= UartFifoBytes ? UartFifoBytes + 1 : bufferSize;
                s_uartByteMicrosTimes1000 = 10L * 1000000L * 1000L / baud; // 8N1: 10 bits a byte
                Log("SerialPort.Open " + port + " rx ring " + s_uartRxRing);
            }
        }

        internal static int UartBytesToRead()
        {
            lock (Sync)
            {
                return s_uartRx.Count;
            }
        }

        internal static int UartRead(byte[] buffer, int offset, int count)
        {
            lock (Sync)
            {
                int n = 0;
                while (n < count && s_uartRx.Count > 0)
                {
                    buffer[offset + n] = s_uartRx.Dequeue();
                    n++;
                }

                return n;
            }
        }

        internal static void UartWrite(byte[] buffer, int offset, int count, int timeoutMillis)
        {
            long started;
            TxJob job;
            lock (Sync)
            {
                started = s_now;
                SettleUart();
                // uart_tx_chars puts what fits into the FIFO now, ahead of anything an earlier
                // timed-out write's worker has still to send.
                int fitted = 0;
                while (fitted < count && FifoCount() < UartFifoBytes)
                {
                    PushFifo(buffer[offset + fitted]);
                    fitted++;
                }

                if (fitted == count)
                {
                    return;
                }

                job = new TxJob { Array = buffer, Offset = offset + fitted, Remaining = count - fitted };
                s_workerJobs.Enqueue(job);
            }

            long timeoutMicros = timeoutMillis < 0 ? long.MaxValue : timeoutMillis * 1000L;
            while (true)
            {
                lock (Sync)
                {
                    SettleUart();
                    if (job.Remaining == 0)
                    {
                        UartLongestWriteMicros = Math.Max(UartLongestWriteMicros, s_now - started);
                        return;
                    }

                    if (s_now - started >= timeoutMicros)
                    {
                        UartLongestWriteMicros = Math.Max(UartLongestWriteMicros, s_now - started);
                        Log("SerialPort.Write timed out, " + job.Remaining + " bytes still to be sent from the caller's array");
                        throw new TimeoutException();
                    }
                }

                Advance(Math.Min(1000, timeoutMicros == long.MaxValue ? 1000 : Math.Max(1, timeoutMicros - (NowMicros - started))));
            }
        }

        private static int FifoCount()
        {
            int n = 0;
            foreach (var (_, done) in s_uartFifo)
            {
                if (done > s_now)
                {
                    n++;
                }
            }

            return n;
        }

        private static void PushFifo(byte b)
        {
            long start = Math.Max(s_now, s_uartLastDone);
            long done = start + ((s_uartByteMicrosTimes1000 + 999) / 1000);
            s_uartLastDone = done;
            s_uartFifo.Add((b, done));
        }

        /// <summary>Moves finished bytes to the wire and lets the worker refill the FIFO.</summary>
        private static void SettleUart()
        {
            while (true)
            {
                for (int i = 0; i < s_uartFifo.Count; i++)
                {
                    if (s_uartFifo[i].Done <= s_now)
                    {
                        s_uartWire.Append((char)s_uartFifo[i].B);
                        s_uartFifo.RemoveAt(i);
                        i--;
                    }
                }

                while (s_workerJobs.Count > 0 && s_workerJobs.Peek().Remaining == 0)
                {
                    s_workerJobs.Dequeue();
                }

                if (s_workerJobs.Count == 0 || FifoCount() >= UartFifoBytes)
                {
                    return;
                }

                // uart_write_bytes reads the managed array as it goes (SerialPort.cpp:270).
                TxJob current = s_workerJobs.Peek();
                PushFifo(current.Array[current.Offset]);
                current.Offset++;
                current.Remaining--;
            }
        }
    }
}
