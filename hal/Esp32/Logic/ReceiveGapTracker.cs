// nanoFramework's SerialPort never reports a receive overrun. On the ESP32 its native driver
// (nf-interpreter targets/ESP32/_nanoCLR/System.IO.Ports/sys_io_ser_native_System_IO_Ports_SerialPort.cpp,
// uart_event_task_sys) pushes what the UART received into a managed-side ring of UART_BUFER_SIZE
// (256) bytes, which keeps what fits, and on UART_FIFO_OVF / UART_BUFFER_FULL flushes the input
// without a word. Only the reader drains that ring, so what can be seen is this: when a read
// finds the ring at capacity, bytes that arrived after its contents may be gone. The gap is
// then right after the bytes waiting now; this class makes the link's reads stop exactly at
// the gap and say so (ISerialInputLoss), so that the line it tears is answered
// "ERR 400 input overrun" instead of being spliced to the next one.
//
// What cannot be seen: a hardware FIFO overflow while the ring was not full (the native task
// was starved), whole lines lost inside a gap (they get no status line; the line the gap ends
// in gets "input overrun"), and corrupted bytes (the optional CRC catches those).
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>Decides how much a serial read may take so that it ends at a possible receive gap.</summary>
    public sealed class ReceiveGapTracker
    {
        private readonly int _capacityBytes;
        private int _bytesBeforeGap = -1;
        private bool _gapAfterLastRead;

        /// <summary>Creates a tracker for a receive buffer of <paramref name="capacityBytes"/> bytes (1 or more).</summary>
        public ReceiveGapTracker(int capacityBytes)
        {
            if (capacityBytes < 1) throw new System.ArgumentOutOfRangeException("capacityBytes");
            _capacityBytes = capacityBytes;
        }

        /// <summary>True when the last read ended where bytes may have been lost.</summary>
        public bool GapAfterLastRead { get { return _gapAfterLastRead; } }

        /// <summary>Call before a read with the bytes waiting now; returns how many to read (at most
        /// <paramref name="wanted"/>, and not past a possible gap).</summary>
        /// <param name="waitingBytes">Bytes in the receive buffer now (SerialPort.BytesToRead).</param>
        /// <param name="wanted">Bytes the caller can take.</param>
        public int Plan(int waitingBytes, int wanted)
        {
            _gapAfterLastRead = false;
            if (waitingBytes <= 0 || wanted <= 0) return 0;
            if (_bytesBeforeGap < 0 && waitingBytes >= _capacityBytes)
            {
                // Full: anything that arrived after these bytes may have been dropped.
                _bytesBeforeGap = waitingBytes;
            }
            int n = waitingBytes < wanted ? waitingBytes : wanted;
            if (_bytesBeforeGap >= 0 && n > _bytesBeforeGap) n = _bytesBeforeGap;
            return n;
        }

        /// <summary>Call after the read with the bytes it returned.</summary>
        public void Consumed(int bytes)
        {
            if (_bytesBeforeGap < 0 || bytes <= 0) return;
            _bytesBeforeGap -= bytes;
            if (_bytesBeforeGap <= 0)
            {
                _bytesBeforeGap = -1;
                _gapAfterLastRead = true;
            }
        }
    }
}
