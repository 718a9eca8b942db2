// Facade of nanoFramework.Hardware.Esp32 1.6.40 (reference only; bodies throw null).
namespace nanoFramework.Hardware.Esp32
{
    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction value) { throw null; }

        public static int GetFunctionPin(DeviceFunction function) { throw null; }
    }
}
