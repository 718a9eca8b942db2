// Facade of nanoFramework.Hardware.Esp32.Rmt 2.0.51 (reference only; bodies throw null).
namespace nanoFramework.Hardware.Esp32.Rmt
{
    public sealed class TransmitChannelSettings : RmtChannelSettings
    {
        public TransmitChannelSettings(int pinNumber) : base(pinNumber) { throw null; }

        public TransmitChannelSettings(int channel, int pinNumber) : base(channel, pinNumber) { throw null; }

        /// <summary>The package default is true (38 kHz IR carrier): a step output must turn it off.</summary>
        public bool EnableCarrierWave { get { throw null; } set { throw null; } }

        public bool EnableLooping { get { throw null; } set { throw null; } }

        public int LoopCount { get { throw null; } set { throw null; } }

        public bool EnableIdleLevelOutput { get { throw null; } set { throw null; } }

        public bool IdleLevel { get { throw null; } set { throw null; } }
    }
}
