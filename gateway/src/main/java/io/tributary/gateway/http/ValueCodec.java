package io.tributary.gateway.http;

/**
 * How one embedded format carries record keys and values in JSON: decoding turns a request's JSON value into
 * the record's bytes, encoding turns stored bytes back into a JSON value. Null stays null both ways.
 */
interface ValueCodec {

    /** @throws HttpError (422) when the JSON value is not valid for this format */
    byte[] decode(Object json, String field);

    Object encode(byte[] bytes);
}
