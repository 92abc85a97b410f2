package io.changeover.demo;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

import io.changeover.transform.step.JavaTransform;

/**
 * The demo's {@code java} step: records the length of {@code input_data.sequence} as {@code input_data.length}, for
 * what the declarative steps cannot say (a value computed from another). A job without a sequence string is left as it
 * is. Pure: it changes only the copy it is given.
 */
public final class SequenceLength implements JavaTransform {

    @Override
    public BsonDocument apply(BsonDocument document) {
        BsonValue input = document.get("input_data");
        if (input == null || !input.isDocument()) {
            return document;
        }
        BsonValue sequence = input.asDocument().get("sequence");
        if (sequence != null && sequence.isString()) {
            input.asDocument().put("length", new BsonInt32(sequence.asString().getValue().length()));
        }
        return document;
    }
}
