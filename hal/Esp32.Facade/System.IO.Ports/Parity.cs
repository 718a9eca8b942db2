// Facade of nanoFramework.System.IO.Ports 1.1.139 (reference only; bodies throw null).
namespace System.IO.Ports
{
    public enum Parity
    {
        None = 0,
        Odd = 1,
        Even = 2,
    }
}
