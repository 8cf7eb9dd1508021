using Google.Protobuf;

namespace DP.Runtime.Tokenization;

/// <summary>
/// A minimal wire-level view of a SentencePiece ModelProto (sentencepiece_model.proto), enough to count the pieces
/// and to work around a Microsoft.ML.Tokenizers 2.0.1 limitation: its unigram model indexes its tables with the
/// trainer spec's bos_id and fails on -1 (no BOS), which is exactly what T5's spiece.model declares. We point bos_id
/// at the pad piece instead; the tokenizer is created with addBeginningOfSentence = false, so no BOS is ever emitted
/// and segmentation is unchanged (control pieces are never produced by the unigram lattice). Every other field is
/// copied byte for byte. Hand-written because the generated ModelProto classes inside Microsoft.ML.Tokenizers are
/// internal; Google.Protobuf's coded streams do the wire decoding.
/// </summary>
internal static class SentencePieceModelProto
{
    // sentencepiece_model.proto field numbers.
    private const int ModelPieces = 1;
    private const int ModelTrainerSpec = 2;
    private const int TrainerUnkId = 40;
    private const int TrainerBosId = 41;
    private const int TrainerPadId = 43;
    private const int TrainerUnkPiece = 45;
    private const int TrainerBosPiece = 46;
    private const int TrainerPadPiece = 48;

    /// <summary>The model with a usable bos_id, and the number of pieces it holds.</summary>
    public static (byte[] Model, int PieceCount) Prepare(byte[] model)
    {
        var input = new CodedInputStream(model);
        using var buffer = new MemoryStream(model.Length);
        var output = new CodedOutputStream(buffer);
        int pieces = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            if (field == ModelPieces) pieces++;
            if (field == ModelTrainerSpec && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                output.WriteTag(tag);
                output.WriteBytes(ByteString.CopyFrom(PatchTrainerSpec(input.ReadBytes().ToByteArray())));
                continue;
            }
            CopyField(tag, input, output);
        }
        output.Flush();
        return (buffer.ToArray(), pieces);
    }

    private static byte[] PatchTrainerSpec(byte[] spec)
    {
        int? bosId = null, padId = null, unkId = null;
        string? padPiece = null, unkPiece = null;
        var input = new CodedInputStream(spec);
        using var buffer = new MemoryStream(spec.Length + 16);
        var output = new CodedOutputStream(buffer);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case TrainerBosId: bosId = input.ReadInt32(); continue;
                case TrainerBosPiece: input.ReadString(); continue;
                case TrainerPadId: padId = input.ReadInt32(); output.WriteTag(tag); output.WriteInt32(padId.Value); continue;
                case TrainerUnkId: unkId = input.ReadInt32(); output.WriteTag(tag); output.WriteInt32(unkId.Value); continue;
                case TrainerPadPiece: padPiece = input.ReadString(); output.WriteTag(tag); output.WriteString(padPiece); continue;
                case TrainerUnkPiece: unkPiece = input.ReadString(); output.WriteTag(tag); output.WriteString(unkPiece); continue;
            }
            CopyField(tag, input, output);
        }
        // Absent fields take the proto defaults: bos 1, pad -1 ("<pad>"), unk 0 ("<unk>").
        int bos = bosId ?? 1;
        string? bosPiece = null;
        if (bos < 0)
        {
            int pad = padId ?? -1;
            (bos, bosPiece) = pad >= 0 ? (pad, padPiece ?? "<pad>") : (unkId ?? 0, unkPiece ?? "<unk>");
        }
        if (bosId is not null || bosPiece is not null)
        {
            output.WriteTag(TrainerBosId, WireFormat.WireType.Varint);
            output.WriteInt32(bos);
        }
        if (bosPiece is not null)
        {
            output.WriteTag(TrainerBosPiece, WireFormat.WireType.LengthDelimited);
            output.WriteString(bosPiece);
        }
        output.Flush();
        return buffer.ToArray();
    }

    private static void CopyField(uint tag, CodedInputStream input, CodedOutputStream output)
    {
        output.WriteTag(tag);
        switch (WireFormat.GetTagWireType(tag))
        {
            case WireFormat.WireType.Varint: output.WriteUInt64(input.ReadUInt64()); break;
            case WireFormat.WireType.Fixed32: output.WriteFixed32(input.ReadFixed32()); break;
            case WireFormat.WireType.Fixed64: output.WriteFixed64(input.ReadFixed64()); break;
            case WireFormat.WireType.LengthDelimited: output.WriteBytes(input.ReadBytes()); break;
            default: throw new InvalidDataException($"unsupported protobuf wire type in field {WireFormat.GetTagFieldNumber(tag)}");
        }
    }
}
