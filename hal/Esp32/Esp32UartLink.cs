// The protocol's byte stream on UART COM2 (PROTOCOL.md: 115200 8N1, no flow control). COM1 is
// left to nanoFramework's debugger and deployment. The ESP32 routes any UART to any pins, so
// the pins are assigned through Configuration.SetPinFunction before the port opens.
// Writes must never stall delivery: the write timeout is short, and bytes refused are counted
// as dropped (the host sees the loss as a missing line or a telemetry seq gap).
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
        // The native ring the driver fills holds 256 bytes whatever ReadBufferSize says (UART_BUFER_SIZE in
        // sys_io_ser_native_System_IO_Ports_SerialPort.cpp); full at 256 means bytes after them may be gone.
        private const int ReceiveRingBytes = 256;
        private const int WriteTimeoutMillis = 20;
        private const int TransmitBufferBytes = 16384;
        private readonly SerialPort _port;
        private long _droppedBytes;
        private readonly ReceiveGapTracker _gaps = new ReceiveGapTracker(ReceiveRingBytes);

        /// <summary>Routes COM2 to the pins and opens it at 115200 8N1.</summary>
        public Esp32UartLink(int txGpio, int rxGpio)
        {
            Configuration.SetPinFunction(txGpio, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(rxGpio, DeviceFunction.COM2_RX);
            _port = new SerialPort(Esp32Settings.UartPortName, Esp32Settings.UartBaudRate, Parity.None, 8, StopBits.One);
            _port.ReadBufferSize = ReceiveRingBytes;
            // Large enough for the longest reply (LOG? with 100 records, about 8.4 kB) plus
            // telemetry, so that in normal use a whole status line is always accepted at once and
            // the 20 ms timeout only ever drops output when the host stopped reading.
            _port.WriteBufferSize = TransmitBufferBytes;
            _port.ReadTimeout = 0;
            _port.WriteTimeout = WriteTimeoutMillis;
            _port.Open();
        }

        /// <summary>Bytes dropped because the transmit side timed out.</summary>
        public long DroppedBytes
        {
            get { return _droppedBytes; }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
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
            try
            {
                _port.Write(buffer, offset, count);
            }
            catch (System.Exception)
            {
                // A timeout (or any transmit error) must not stop the pump: the bytes are lost
                // and counted, the caller's next line goes out as usual.
                _droppedBytes += count;
            }
        }
    }
}
