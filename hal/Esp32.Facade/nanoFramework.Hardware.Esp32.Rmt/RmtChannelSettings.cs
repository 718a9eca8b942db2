// Facade of nanoFramework.Hardware.Esp32.Rmt 2.0.51 (reference only; bodies throw null).
namespace nanoFramework.Hardware.Esp32.Rmt
{
    public abstract class RmtChannelSettings
    {
        protected RmtChannelSettings(int pinNumber) { throw null; }

        protected RmtChannelSettings(int channel, int pinNumber) { throw null; }

        public int Channel { get { throw null; } set { throw null; } }

        public int PinNumber { get { throw null; } set { throw null; } }

        /// <summary>Divides the 80 MHz APB clock; 80 gives 1 µs ticks (the package default).</summary>
        public byte ClockDivider { get { throw null; } set { throw null; } }

        public byte NumberOfMemoryBlocks { get { throw null; } set { throw null; } }

        /// <summary>RMT items the driver buffers (package default 100).</summary>
        public int BufferSize { get { throw null; } set { throw null; } }

        public bool SignalInverterEnabled { get { throw null; } set { throw null; } }
    }
}
