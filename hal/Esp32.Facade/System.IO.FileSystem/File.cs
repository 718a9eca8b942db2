// Facade of nanoFramework.System.IO.FileSystem 1.1.93 (reference only; bodies throw null).
namespace System.IO
{
    public static class File
    {
        public static bool Exists(string path) { throw null; }

        public static void Delete(string path) { throw null; }

        /// <summary>Throws IOException when the destination exists (the package checks first).</summary>
        public static void Move(string sourceFileName, string destFileName) { throw null; }

        public static FileStream Open(string path, FileMode mode) { throw null; }
    }
}
