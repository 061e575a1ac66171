/** The new-project form's four weight fields (whole numbers) to `options.weights`. */
export function weightsFromForm(form: Record<string, string | undefined>) {
  const number = (text: string | undefined) => {
    const trimmed = text?.trim() ?? '';
    return /^\d{1,3}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  };
  return { price: number(form.weightPrice), credit: number(form.weightCredit), time: number(form.weightTime), plan: number(form.weightPlan) };
}
