namespace DP.Runtime.Data.Batching;

/// <summary>Which file of a task an example comes from; part of its key.</summary>
public enum DataSplit
{
    Train = 0,
    Validation = 1,
    Test = 2,
}

/// <summary>
/// A tokenized example: one row (classification) or one row per candidate (multiple choice), the target
/// (class or right-candidate index; -1 = unlabeled) and its stable key (split &lt;&lt; 56 | task id &lt;&lt; 32 | index in
/// its file). The split keeps line i of the validation file apart from line i of the training file, so that
/// per-example caches (the instance representation) do not mistake one for the other.
/// </summary>
public sealed record EncodedExample(long Key, int Label, int[][] Ids, int[][] TypeIds)
{
    /// <summary>The longest row, which decides the padded width.</summary>
    public int Length => Ids.Max(r => r.Length);

    const int TaskBits = 24;

    public static long MakeKey(int taskId, int index, DataSplit split = DataSplit.Train)
    {
        if (taskId < 0 || taskId >= 1 << TaskBits) throw new ArgumentOutOfRangeException(nameof(taskId), taskId, "task id out of range");
        return ((long)split << (32 + TaskBits)) | ((long)taskId << 32) | (uint)index;
    }

    public static int TaskIdOf(long key) => (int)((key >> 32) & ((1 << TaskBits) - 1));
    public static DataSplit SplitOf(long key) => (DataSplit)(key >> (32 + TaskBits));
    public static int IndexOf(long key) => (int)(key & 0xFFFFFFFF);
}
