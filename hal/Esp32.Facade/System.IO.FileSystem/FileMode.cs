// Facade of nanoFramework.System.IO.FileSystem 1.1.93 (reference only; bodies throw null).
namespace System.IO
{
    public enum FileMode
    {
        CreateNew = 1,
        Create = 2,
        Open = 3,
        OpenOrCreate = 4,
        Truncate = 5,
        Append = 6,
    }
}
