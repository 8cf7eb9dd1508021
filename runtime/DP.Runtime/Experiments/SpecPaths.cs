namespace DP.Runtime.Experiments;

/// <summary>
/// The one rule for the paths a spec names (<c>outputs.dir</c>, <c>task.data_dir</c> and the data files, also in
/// multitask entries). A relative path is resolved against the project folder (the folder the program runs in;
/// <c>dotnet run</c> runs it in the project's folder) and must stay inside it; a data file's relative path must stay
/// inside its <c>data_dir</c>. A '..' that leads out is refused, since a spec shared with you should not reach
/// outside your project by a path that looks local. An absolute path is taken as written: whoever wrote it chose
/// that place explicitly. Command-line values (--output, --data, --set) are the user's own choice and not checked.
/// </summary>
public static class SpecPaths
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first spec key whose path leads out.</summary>
    public static void Check(ExperimentOptions options, string projectFolder)
    {
        StaysInside("outputs.dir", options.Output.Dir, projectFolder, "the project folder");
        CheckTask("task", options.Task, projectFolder);
        for (var i = 0; i < options.Task.Multitask.Count; i++)
            CheckTask($"task.multitask[{i}]", options.Task.Multitask[i], projectFolder);
    }

    private static void CheckTask(string where, TaskOptions task, string projectFolder)
    {
        StaysInside($"{where}.data_dir", task.DataDir, projectFolder, "the project folder");
        var dataDir = Path.Combine(projectFolder, task.DataDir);
        StaysInside($"{where}.train_file", task.TrainFile, dataDir, "data_dir");
        StaysInside($"{where}.validation_file", task.ValidationFile, dataDir, "data_dir");
        StaysInside($"{where}.test_file", task.TestFile, dataDir, "data_dir");
    }

    private static void StaysInside(string key, string? path, string folder, string folderName)
    {
        if (string.IsNullOrWhiteSpace(path) || Path.IsPathRooted(path)) return;
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(root, path)));
        if (full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return;
        throw new ArgumentException(
            $"{key}: '{path}' leads out of {folderName} with '..'; a relative path in a spec must stay inside it " +
            "(write an absolute path, or pass --output/--data on the command line, to use a folder elsewhere)");
    }
}
