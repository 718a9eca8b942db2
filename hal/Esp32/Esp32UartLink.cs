// The protocol's byte stream on UART COM2 (PROTOCOL.md: 115200 8N1, no flow control). COM1 is
// left to nanoFramework's debugger and deployment. The ESP32 routes any UART to any pins, so
// the pins are assigned through Configuration.SetPinFunction before the port opens.
// Writes must never stall delivery: lines go into a managed transmit queue (UartTxQueue, which
// says why: the port has no transmit buffer and a timed-out write keeps sending from the
// caller's array), and only chunks that fit the FIFO's free space are handed to the port, on
// every Write and Read call (the main loop reads every pass). A line that does not fit the
// queue is dropped whole and counted (the host sees a missing line or a telemetry seq gap).
// Reads stop where received bytes may have been lost (a receive buffer found full) and say so
// (ISerialInputLoss), so the torn line is answered "input overrun": see Logic/ReceiveGapTracker.
using System.IO.Ports;
using nanoFramework.Hardware.Esp32;
using PumpFirmware.Hal.Esp32.Logic;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>ISerialLink on the ESP32's COM2.</summary>
    public sealed class Esp32UartLink : ISerialLink, ISerialInputLoss
    {
        // The native ring the driver fills is allocated at Open from the port's one buffer-size field
        // (nf-interpreter sys_io_ser_native_System_IO_Ports_SerialPort.cpp:919-937), which
        // ReadBufferSize sets and WriteBufferSize would overwrite (System.IO.Ports SerialPort.cs:
        // 499-559): it is set to 256 here and never touched again; full at 256 means bytes after
        // them may be gone.
        private const int ReceiveRingBytes = 256;
        private const int WriteTimeoutMillis = 20;
        private const int TransmitQueueBytes = 16384;
        private readonly SerialPort _port;
        private readonly IMonotonicClock _clock;
        private readonly UartTxQueue _tx;
        private readonly ReceiveGapTracker _gaps = new ReceiveGapTracker(ReceiveRingBytes);
        private byte[] _chunk = new byte[UartTxQueue.FifoBytes];
        private long _lateChunks;

        /// <summary>Routes COM2 to the pins and opens it at 115200 8N1.</summary>
        public Esp32UartLink(int txGpio, int rxGpio, IMonotonicClock clock)
        {
            _clock = clock;
            _tx = new UartTxQueue(TransmitQueueBytes, Esp32Settings.UartBaudRate);
            Configuration.SetPinFunction(txGpio, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(rxGpio, DeviceFunction.COM2_RX);
            _port = new SerialPort(Esp32Settings.UartPortName, Esp32Settings.UartBaudRate, Parity.None, 8, StopBits.One);
            // ReadBufferSize and WriteBufferSize are ONE field that sizes the receive ring
            // (System.IO.Ports SerialPort.cs:499-559, SerialPort.cpp:919-937): set it once, for
            // receiving; WriteBufferSize is never set. The transmit queue is _tx, in managed memory.
            _port.ReadBufferSize = ReceiveRingBytes;
            _port.ReadTimeout = 0;
            _port.WriteTimeout = WriteTimeoutMillis;
            _port.Open();
        }

        /// <summary>Bytes dropped because the transmit queue was full.</summary>
        public long DroppedBytes
        {
            get { return _tx.DroppedBytes; }
        }

        /// <summary>Bytes queued for sending.</summary>
        public int PendingTxBytes
        {
            get { return _tx.Count; }
        }

        /// <summary>Chunks whose write still timed out (the FIFO estimate was wrong; they are sent).</summary>
        public long LateChunks
        {
            get { return _lateChunks; }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            Pump();
            int n = _gaps.Plan(_port.BytesToRead, count);
            if (n <= 0)
            {
                return 0;
            }

            n = _port.Read(buffer, offset, n);
            _gaps.Consumed(n);
            return n;
        }

        /// <inheritdoc />
        public bool InputLostAfterLastRead
        {
            get { return _gaps.GapAfterLastRead; }
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            _tx.Enqueue(buffer, offset, count);
            Pump();
        }

        /// <summary>Hands the port as much of the queue as the FIFO has room for now.</summary>
        public void Pump()
        {
            int n = _tx.TakeChunk(_chunk, _chunk.Length, _clock.NowMicros);
            if (n <= 0)
            {
                return;
            }

            try
            {
                _port.Write(_chunk, 0, n);
            }
            catch (System.Exception)
            {
                // Only if the FIFO estimate was wrong and the rest did not drain within the
                // timeout: the port's worker still sends from _chunk, so it is left to it and a
                // new array takes its place (never reuse an array the native side may read).
                _chunk = new byte[UartTxQueue.FifoBytes];
                _lateChunks++;
            }
        }
    }
}
