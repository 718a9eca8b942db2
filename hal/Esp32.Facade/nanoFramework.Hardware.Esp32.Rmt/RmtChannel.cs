// Facade of nanoFramework.Hardware.Esp32.Rmt 2.0.51 (reference only; bodies throw null).
namespace nanoFramework.Hardware.Esp32.Rmt
{
    public abstract class RmtChannel
    {
        protected RmtChannel(RmtChannelSettings settings) { throw null; }

        public abstract ChannelMode Mode { get; }

        public int Channel { get { throw null; } }

        public int Pin { get { throw null; } set { throw null; } }

        public byte ClockDivider { get { throw null; } set { throw null; } }

        public static int SourceClockFrequency { get { throw null; } }
    }
}
