namespace DP.Generators.Validation;

/// <summary>
/// Bounds on a spec's size, so no spec can push the generator or the compiler past theirs (the compiler rejects
/// identifiers over 1,024 characters; deep recursion overflows the stack).
/// </summary>
public static class SpecLimits
{
    /// <summary>Longest experiment or field name: it becomes part of a C# type or property name.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Deepest nesting of lists and mappings (the schema needs 4); checked while reading, before recursing further.</summary>
    public const int MaxNesting = 32;
}
