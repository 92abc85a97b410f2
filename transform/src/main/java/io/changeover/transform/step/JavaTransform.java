package io.changeover.transform.step;

import org.bson.BsonDocument;

/**
 * A transform written in Java, for what the declarative steps cannot say; used with
 * {@code - java: {class: com.example.MyTransform, options: {...}}}. The class is on the classpath and has a public
 * constructor taking no argument, or one taking {@code java.util.Map<String, Object>} (the {@code options}).
 *
 * <p>It must be a pure function: no I/O, no clock, no randomness, no state between calls (replay must give the same
 * output), and it may be called from several threads. It receives its own copy of the document, which it may change
 * and return. Returning null filters the document out; throwing makes it a data error (dead-lettered with the
 * exception's message).
 */
@FunctionalInterface
public interface JavaTransform {
    BsonDocument apply(BsonDocument document);
}
