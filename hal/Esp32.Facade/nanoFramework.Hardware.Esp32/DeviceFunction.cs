// Facade of nanoFramework.Hardware.Esp32 1.6.40 (reference only). Only the functions the
// adapters use; values as in the package (type 0x10000 steps, index 0x100 steps, signal).
namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        COM2_TX = 0x00030200,
        COM2_RX = 0x00030201,
        PWM1 = 0x00040100,
        PWM2 = 0x00040200,
        PWM3 = 0x00040300,
        PWM4 = 0x00040400,
        I2C1_DATA = 0x00020100,
        I2C1_CLOCK = 0x00020101,
    }
}
