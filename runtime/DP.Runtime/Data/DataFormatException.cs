namespace DP.Runtime.Data;

/// <summary>Bad input data: the message names the file, the line and the field at fault.</summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string file, int line, string field, string problem)
        : base($"{file}, line {line}, field '{field}': {problem}")
    {
        File = file;
        Line = line;
        Field = field;
    }

    public DataFormatException(string message) : base(message)
    {
    }

    public string? File { get; }
    public int Line { get; }
    public string? Field { get; }
}
