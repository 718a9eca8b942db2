// Facade of nanoFramework.System.Device.Adc 1.1.24 (reference only; bodies throw null).
namespace System.Device.Adc
{
    public class AdcController
    {
        public AdcController() { throw null; }

        public int ChannelCount { get { throw null; } }

        public int MaxValue { get { throw null; } }

        public int MinValue { get { throw null; } }

        public int ResolutionInBits { get { throw null; } }

        public AdcChannel OpenChannel(int channelNumber) { throw null; }
    }
}
