namespace DP.Runtime.Data.Batching;

/// <summary>
/// A tokenized example: one row (classification) or one row per candidate (multiple choice), the target
/// (class or right-candidate index; -1 = unlabeled) and its stable key (task id &lt;&lt; 32 | index in its file).
/// </summary>
public sealed record EncodedExample(long Key, int Label, int[][] Ids, int[][] TypeIds)
{
    /// <summary>The longest row, which decides the padded width.</summary>
    public int Length => Ids.Max(r => r.Length);

    public static long MakeKey(int taskId, int index) => ((long)taskId << 32) | (uint)index;
    public static int TaskIdOf(long key) => (int)(key >> 32);
    public static int IndexOf(long key) => (int)(key & 0xFFFFFFFF);
}
