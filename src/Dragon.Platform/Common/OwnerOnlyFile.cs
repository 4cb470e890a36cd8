namespace Dragon.Platform.Common;

/// <summary>Files that hold keys: created readable and writable by their owner only from the first byte.</summary>
public static class OwnerOnlyFile
{
    /// <summary>A new file at <paramref name="path"/> (its folder made if needed); fails if it exists.</summary>
    public static FileStream CreateNew(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Set at creation: a file written first and narrowed after is readable by others in between.
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, create);
    }
}
