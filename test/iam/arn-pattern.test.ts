import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { arnPatternCovers, arnPatternMatches, arnPatternsIntersect, resourceTypeScope } from '../../server/src/iam/catalog';
import { globCovers, globsIntersect, plainGlob } from '../../server/src/iam/catalog/glob';

/**
 * ARN patterns with wildcards and policy variables: matching, containment (the scope-down proof:
 * true only when sure) and intersection (false only when sure), and a pattern against a resource
 * type's ARN format.
 */

describe('matching a literal ARN', () => {
  test('wildcards within and across the resource part', () => {
    assert.equal(arnPatternMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b.txt'), true);
    assert.equal(arnPatternMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket'), false);
    assert.equal(arnPatternMatches('arn:aws:s3:::bucket*', 'arn:aws:s3:::bucket/key'), true);
    assert.equal(arnPatternMatches('arn:aws:s3:::bucket*', 'arn:aws:s3:::bucket-other'), true);
    assert.equal(arnPatternMatches('arn:aws:s3:::bucket?', 'arn:aws:s3:::bucket1'), true);
    assert.equal(arnPatternMatches('arn:aws:s3:::bucket?', 'arn:aws:s3:::bucket12'), false);
    assert.equal(arnPatternMatches('*', 'arn:aws:iam::123456789012:role/x'), true);
    assert.equal(arnPatternMatches('arn:aws:logs:*:*:log-group:/aws/lambda/*:*', 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f:log-stream:s'), true);
  });

  test('case-sensitive, as IAM compares ARNs', () => {
    assert.equal(arnPatternMatches('arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/x'), false);
  });

  test('a wildcard inside one of the first five segments keeps to it, unless it ends the segment', () => {
    assert.equal(arnPatternMatches('arn:aws:ec2:us-*-1:123456789012:instance/*', 'arn:aws:ec2:us-east-1:123456789012:instance/i-1'), true);
    assert.equal(arnPatternMatches('arn:aws:ec2:us-?:123456789012:instance/*', 'arn:aws:ec2:us-:1:123456789012:instance/i-1'), false);
    assert.equal(arnPatternMatches('arn:aws:ec2:*:123456789012:instance/*', 'arn:aws:ec2:us-east-1:123456789012:instance/i-1'), true);
  });

  test('a policy variable matches only when sure: never a literal value', () => {
    assert.equal(arnPatternMatches('arn:aws:s3:::bucket/${aws:username}/*', 'arn:aws:s3:::bucket/alice/x'), false);
    // The escapes are literal characters.
    assert.equal(arnPatternMatches('arn:aws:s3:::bucket/${*}', 'arn:aws:s3:::bucket/*'), true);
    assert.equal(arnPatternMatches('arn:aws:s3:::bucket/${*}', 'arn:aws:s3:::bucket/a'), false);
  });
});

describe('containment: does A cover everything B covers', () => {
  test('the tricky S3 pair: bucket* covers bucket/key, bucket/* does not cover bucket*', () => {
    assert.equal(arnPatternCovers('arn:aws:s3:::bucket*', 'arn:aws:s3:::bucket/key'), true);
    assert.equal(arnPatternCovers('arn:aws:s3:::bucket*', 'arn:aws:s3:::bucket/*'), true);
    assert.equal(arnPatternCovers('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket*'), false);
    assert.equal(arnPatternCovers('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket'), false);
    assert.equal(arnPatternCovers('arn:aws:s3:::bucket', 'arn:aws:s3:::bucket'), true);
  });

  test('* covers everything; nothing narrower covers *', () => {
    assert.equal(arnPatternCovers('*', 'arn:aws:s3:::x'), true);
    assert.equal(arnPatternCovers('*', '*'), true);
    assert.equal(arnPatternCovers('arn:*', '*'), false);
    assert.equal(arnPatternCovers('arn:aws:s3:::*', '*'), false);
    assert.equal(arnPatternCovers('arn:*', 'arn:aws:s3:::bucket/x'), true);
  });

  test('wildcards against wildcards', () => {
    assert.equal(arnPatternCovers('arn:aws:s3:::*', 'arn:aws:s3:::logs-*/2024/*'), true);
    assert.equal(arnPatternCovers('arn:aws:s3:::logs-*', 'arn:aws:s3:::logs-?'), true);
    assert.equal(arnPatternCovers('arn:aws:s3:::logs-?', 'arn:aws:s3:::logs-*'), false);
    assert.equal(arnPatternCovers('arn:aws:iam::*:role/*', 'arn:aws:iam::123456789012:role/deploy'), true);
    assert.equal(arnPatternCovers('arn:aws:iam::123456789012:role/*', 'arn:aws:iam::*:role/deploy'), false);
  });

  test('a mid-segment wildcard of the outer pattern does not take a colon the inner one may have', () => {
    assert.equal(arnPatternCovers('arn:aws:ec2:us-*-1:123456789012:instance/*', 'arn:aws:ec2:us-east-1:123456789012:instance/*'), true);
    // The inner `*` ends its segment, so it may run past the colon: the outer mid-segment one may not follow.
    assert.equal(arnPatternCovers('arn:aws:ec2:us-*:123456789012:instance/*', 'arn:aws:ec2:us-*:123456789012:instance/*'), true);
    assert.equal(arnPatternCovers('arn:aws:ec2:u*s:123456789012:instance/*', 'arn:aws:ec2:*:123456789012:instance/*'), false);
  });

  test('policy variables: the same variable covers itself; a wildcard covers a variable; a literal never does', () => {
    assert.equal(arnPatternCovers('arn:aws:s3:::bucket/${aws:username}/*', 'arn:aws:s3:::bucket/${aws:username}/*'), true);
    assert.equal(arnPatternCovers('arn:aws:s3:::bucket/${aws:username}/*', 'arn:aws:s3:::bucket/${aws:userid}/*'), false);
    assert.equal(arnPatternCovers('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/${aws:username}/*'), true);
    assert.equal(arnPatternCovers('arn:aws:s3:::bucket/${aws:username}/*', 'arn:aws:s3:::bucket/*'), false);
    assert.equal(arnPatternCovers('arn:aws:s3:::bucket/${aws:username}/*', 'arn:aws:s3:::bucket/alice/*'), false);
    // Variable names compare without case; Terraform's &{…} is the same variable.
    assert.equal(arnPatternCovers('arn:aws:s3:::bucket/${AWS:UserName}/*', 'arn:aws:s3:::bucket/&{aws:username}/x'), true);
    // A default value does not change the variable.
    assert.equal(arnPatternCovers('arn:aws:s3:::b/${aws:username}', "arn:aws:s3:::b/${aws:username, 'none'}"), true);
  });

  test('a Terraform interpolation is a value not known here: covered by a wildcard only', () => {
    assert.equal(arnPatternCovers('arn:aws:s3:::*', '${aws_s3_bucket.site.arn}'), false);
    assert.equal(arnPatternCovers('*', '${aws_s3_bucket.site.arn}/*'), true);
  });
});

describe('intersection: may two patterns name a common ARN', () => {
  test('disjoint literals, overlapping wildcards', () => {
    assert.equal(arnPatternsIntersect('arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'), false);
    assert.equal(arnPatternsIntersect('arn:aws:s3:::a*', 'arn:aws:s3:::*b'), true);
    assert.equal(arnPatternsIntersect('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket*'), true);
    assert.equal(arnPatternsIntersect('arn:aws:s3:::x', 'arn:aws:iam::1:role/x'), false);
    assert.equal(arnPatternsIntersect('arn:aws:s3:::${aws:username}', 'arn:aws:s3:::alice'), true);
  });
});

describe('a pattern against a resource type\'s ARN format', () => {
  const BUCKET = 'arn:${Partition}:s3:::${BucketName}';
  const OBJECT = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
  const ROLE = 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}';
  const INSTANCE = 'arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}';

  test('every resource of the type, in what the pattern names literally', () => {
    assert.equal(resourceTypeScope('*', ROLE), 'every');
    assert.equal(resourceTypeScope('arn:aws:s3:::*', BUCKET), 'every');
    assert.equal(resourceTypeScope('arn:aws:s3:::*', OBJECT), 'every');
    assert.equal(resourceTypeScope('arn:aws:iam::123456789012:role/*', ROLE), 'every');
    assert.equal(resourceTypeScope('arn:aws:ec2:eu-west-1:123456789012:instance/*', INSTANCE), 'every');
    assert.equal(resourceTypeScope('arn:aws:ec2:*:*:instance/*', INSTANCE), 'every');
  });

  test('some of them', () => {
    assert.equal(resourceTypeScope('arn:aws:s3:::my-bucket', BUCKET), 'some');
    assert.equal(resourceTypeScope('arn:aws:s3:::my-bucket/*', OBJECT), 'some');
    assert.equal(resourceTypeScope('arn:aws:iam::123456789012:role/deploy', ROLE), 'some');
    assert.equal(resourceTypeScope('arn:aws:iam::123456789012:role/${aws:username}', ROLE), 'some');
    assert.equal(resourceTypeScope('arn:aws:ec2:eu-west-1:123456789012:instance/i-1', INSTANCE), 'some');
  });

  test('none of them: another service, another resource prefix where the format\'s parts pin it', () => {
    assert.equal(resourceTypeScope('arn:aws:s3:::bucket', ROLE), 'none');
    assert.equal(resourceTypeScope('arn:aws:iam::123456789012:role/x', BUCKET), 'none');
    assert.equal(resourceTypeScope('arn:aws:ec2:eu-west-1:123456789012:volume/*', INSTANCE), 'none');
  });
});

describe('the glob algebra on its own', () => {
  test('covers is sound on small cases checked by brute force', () => {
    const alphabet = ['a', 'b'];
    const strings: string[] = [''];
    for (let length = 1; length <= 4; length++) for (const s of strings.filter((x) => x.length === length - 1)) for (const c of alphabet) strings.push(s + c);
    const patterns = ['*', 'a*', '*a', 'a?', '?*', '*?', 'a*b', '*a*', 'ab', '??', 'a', '', '*b*a*', '?a*'];
    const matches = (pattern: string, s: string): boolean => new RegExp(`^${pattern.replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(s);
    for (const outer of patterns) {
      for (const inner of patterns) {
        const truth = strings.every((s) => !matches(inner, s) || matches(outer, s));
        const covered = globCovers(plainGlob(outer), plainGlob(inner));
        // Sound: never says covered when it is not.
        if (covered) assert.equal(truth, true, `${outer} ⊇ ${inner}`);
        const meets = strings.some((s) => matches(inner, s) && matches(outer, s));
        // Cautious the other way: never says disjoint when they meet.
        if (meets) assert.equal(globsIntersect(plainGlob(outer), plainGlob(inner)), true, `${outer} ∩ ${inner}`);
      }
    }
    // And it is not trivially cautious.
    assert.equal(globCovers(plainGlob('a*'), plainGlob('ab*')), true);
    assert.equal(globsIntersect(plainGlob('a*'), plainGlob('b*')), false);
  });

  test('long patterns give the cautious answer instead of a huge table', () => {
    const long = plainGlob('*'.repeat(2_500));
    assert.equal(globCovers(long, long), false);
    assert.equal(globsIntersect(long, plainGlob('x'.repeat(2_500))), true);
  });
});
