// Facade of nanoFramework.System.IO.Ports 1.1.139 (reference only; bodies throw null).
namespace System.IO.Ports
{
    public enum StopBits
    {
        One = 1,
        Two = 2,
        OnePointFive = 3,
    }
}
