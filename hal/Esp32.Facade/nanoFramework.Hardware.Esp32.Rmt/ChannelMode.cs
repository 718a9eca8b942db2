// Facade of nanoFramework.Hardware.Esp32.Rmt 2.0.51 (reference only; bodies throw null).
namespace nanoFramework.Hardware.Esp32.Rmt
{
    public enum ChannelMode
    {
        Receive,
        Transmit,
    }
}
