// Facade of nanoFramework.System.IO.Streams 1.1.96 (reference only; bodies throw null).
namespace System.IO
{
    public enum SeekOrigin
    {
        Begin = 0,
        Current = 1,
        End = 2,
    }
}
